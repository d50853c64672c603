import { useMemo, useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Form, Input, Modal, Popconfirm, Space, Spin, Table, Tag, Typography } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, LockOutlined, UnlockOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { translateError } from '../../../api/errors';
import { useBusinessDate, type CloseCheck, type Period } from '../../../api/finance';
import { useErrorHandler } from '../../../api/useErrorHandler';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { PageContainer } from '../../../components/PageContainer';
import { periodOf, periodToClose } from '../../../lib/finance';
import { formatDateTime } from '../../../lib/format';
import { PageBusinessDate } from '../shared';

const periodsKey = ['finance', 'periods'] as const;

export function PeriodStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={status === 'closed' ? 'default' : 'processing'} data-testid="period-status">
      {t(`money.periodStatuses.${status}`, { defaultValue: status })}
    </Tag>
  );
}

/** What closing a period needs, each condition with its state as it stands now. */
export function CloseChecks({ checks }: { checks: CloseCheck[] }) {
  const { t } = useTranslation();
  return (
    <ul className="check-list" data-testid="close-checks">
      {checks.map((c) => (
        <li key={c.code} data-testid={`close-check-${c.code}`} data-ok={c.ok ? 'true' : 'false'}>
          {c.ok ? <CheckCircleFilled className="check-ok" /> : <CloseCircleFilled className="check-missing" />}
          <span className="wrap-cell">
            {t(`money.closeChecks.${c.code}`, { defaultValue: c.code })}
            <Typography.Text type="secondary"> · {c.detail}</Typography.Text>
          </span>
        </li>
      ))}
    </ul>
  );
}

/**
 * 期末结账: the accounting periods, open or closed. A period closes when its checks pass: income
 * and expenses are carried to 本年利润 and the period takes no more postings. The latest closed
 * period may be reopened (反结账) with a reason.
 */
export default function PeriodsPage() {
  const { t, i18n } = useTranslation();
  const { has } = useAccess();
  const businessDate = useBusinessDate();
  const periods = useQuery({ queryKey: periodsKey, queryFn: () => unwrap(api.GET('/api/v1/periods')) });
  const [chosen, setChosen] = useState<string>();
  const fallback = businessDate.data ? periodOf(businessDate.data) : undefined;
  const selected = chosen ?? periodToClose(periods.data ?? [], fallback);
  const latestClosed = useMemo(() => (periods.data ?? []).find((p) => p.status === 'closed')?.period, [periods.data]);
  const [reopening, setReopening] = useState<string | null>(null);

  return (
    <PageContainer title={t('money.periodsTitle')} subtitle={t('money.periodsSubtitle')} extra={<PageBusinessDate />}>
      {periods.isError && <Alert className="section-card" type="error" showIcon title={translateError(periods.error, t, i18n)} />}
      <div className="table-scroll section-card">
        <Table<Period>
          size="small"
          rowKey="period"
          loading={periods.isLoading}
          dataSource={periods.data}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('money.noPeriods') }}
          rowClassName={(p) => (p.period === selected ? 'row-selected' : '')}
          onRow={(p) => ({ 'data-testid': `period-${p.period}`, onClick: () => setChosen(p.period) }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { title: t('money.period'), dataIndex: 'period', render: (v: string) => <span className="mono">{v}</span> },
            { title: t('common.status'), dataIndex: 'status', render: (s: string) => <PeriodStatusTag status={s} /> },
            { title: t('money.voucherCount'), dataIndex: 'vouchers', align: 'right' },
            { title: t('money.closedBy'), dataIndex: 'closedByName', render: (v: string | null) => v ?? '-' },
            { title: t('money.closedAt'), dataIndex: 'closedAt', render: formatDateTime },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_: unknown, p) => (
                <Space size={0} wrap>
                  <Button type="link" size="small" onClick={() => setChosen(p.period)} data-testid={`period-check-${p.period}`}>
                    {t('money.closeCheck')}
                  </Button>
                  {p.status === 'closed' && p.period === latestClosed && has(P.ledgerPeriodReopen) && (
                    <Button
                      type="link"
                      size="small"
                      danger
                      icon={<UnlockOutlined />}
                      onClick={(e) => {
                        e.stopPropagation();
                        setReopening(p.period);
                      }}
                      data-testid={`period-reopen-${p.period}`}
                    >
                      {t('money.reopen')}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </div>
      <Card
        className="section-card"
        size="small"
        title={
          <Space wrap>
            <span>{t('money.closeTitle')}</span>
            <DatePicker
              picker="month"
              allowClear={false}
              value={selected ? dayjs(`${selected}-01`) : undefined}
              onChange={(d) => d && setChosen(d.format('YYYY-MM'))}
              data-testid="close-period"
            />
          </Space>
        }
      >
        {selected ? (
          <ClosePanel period={selected} status={periods.data?.find((p) => p.period === selected)?.status ?? 'open'} />
        ) : (
          <Spin />
        )}
      </Card>
      {reopening && <ReopenDialog period={reopening} onClose={() => setReopening(null)} />}
    </PageContainer>
  );
}

function ClosePanel({ period, status }: { period: string; status: string }) {
  const { t, i18n } = useTranslation();
  const { has } = useAccess();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const closed = status === 'closed';
  const checks = useQuery({
    queryKey: ['finance', 'close-checks', period],
    queryFn: () => unwrap(api.GET('/api/v1/periods/{period}/close-checks', { params: { path: { period } } })),
    enabled: !closed,
  });
  const close = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/periods/{period}/close', { params: { path: { period } } })),
    onSuccess: (report) => {
      message.success(t('money.periodClosed', { period: report.period.period }));
      void queryClient.invalidateQueries({ queryKey: ['finance'] });
    },
    onError: (e) => {
      onError(e);
      void checks.refetch();
    },
  });
  if (closed)
    return (
      <Alert
        type="info"
        showIcon
        title={t('money.alreadyClosed', { period })}
        action={
          <Link to={`/money/vouchers?period=${period}`} className="no-print">
            {t('money.vouchersOfPeriod')}
          </Link>
        }
      />
    );
  if (checks.isPending) return <Spin />;
  if (checks.isError) return <Alert type="error" showIcon title={translateError(checks.error, t, i18n)} />;
  const ready = checks.data.every((c) => c.ok);
  return (
    <>
      <CloseChecks checks={checks.data} />
      <Alert
        className="section-card"
        type={ready ? 'success' : 'warning'}
        showIcon
        data-testid="close-ready"
        data-ready={ready ? 'true' : 'false'}
        title={t(ready ? 'money.readyToClose' : 'money.notReadyToClose', { period })}
        description={t('money.closeHelp')}
      />
      {has(P.ledgerPeriodClose) && (
        <Popconfirm
          title={t('money.closeConfirm', { period })}
          description={t('money.closeConfirmHelp')}
          onConfirm={() => close.mutate()}
          okText={t('common.ok')}
          cancelText={t('common.cancel')}
          disabled={!ready}
        >
          <Button type="primary" icon={<LockOutlined />} disabled={!ready} loading={close.isPending} data-testid="period-close">
            {t('money.closePeriod', { period })}
          </Button>
        </Popconfirm>
      )}
    </>
  );
}

function ReopenDialog({ period, onClose }: { period: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<{ reason: string }>();
  const reopen = useMutation({
    mutationFn: (v: { reason: string }) =>
      unwrap(api.POST('/api/v1/periods/{period}/reopen', { params: { path: { period } }, body: { reason: v.reason.trim() } })),
    onSuccess: () => {
      message.success(t('money.periodReopened', { period }));
      void queryClient.invalidateQueries({ queryKey: ['finance'] });
      onClose();
    },
    onError: (e) => onError(e, { form }),
  });
  return (
    <Modal
      open
      title={t('money.reopenTitle', { period })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('money.reopen')}
      okButtonProps={{ danger: true }}
      cancelText={t('common.cancel')}
      confirmLoading={reopen.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('money.reopenHelp')}</Typography.Paragraph>
      <Form name="reopen" form={form} layout="vertical" onFinish={(v) => reopen.mutate(v)}>
        <Form.Item name="reason" label={t('money.reopenReason')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
