import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { translateError } from '../../../api/errors';
import { useErrorHandler } from '../../../api/useErrorHandler';
import { useAccess } from '../../../auth/hooks';
import { useIsMobile } from '../../../components/useIsMobile';
import { formatDateTime } from '../../../lib/format';
import { booksApi, booksKeys, FINANCE_KEY, unwrap, type ClassificationChange, type LoanClassification, type RiskClass } from '../api/client';
import { betterThan, CLASS_COLORS, worseThan } from '../lib/classes';
import { BP } from '../permissions';
import '../locales/register';

/** A five-tier class as a coloured tag (正常 … 损失). */
export function ClassTag({ value, testId }: { value: RiskClass | null | undefined; testId?: string }) {
  const { t } = useTranslation();
  if (!value) return <span className="muted">-</span>;
  return (
    <Tag color={CLASS_COLORS[value]} data-testid={testId}>
      {t(`books.classes.${value}`)}
    </Tag>
  );
}

type Mode = 'worse' | 'better';

/**
 * 五级分类 of one loan, for the loan page: the class it carries, the floor its days past due call
 * for, a person's class and an approved floor, and the history. With `classification:write`: a
 * worse class at once (调整为更差分类), or a request for a better one that someone else reviews
 * (申请上调分类).
 */
export function ClassificationCard({ loanId }: { loanId: number }) {
  const { t, i18n } = useTranslation();
  const { has } = useAccess();
  const [mode, setMode] = useState<Mode | null>(null);
  const view = useQuery({
    queryKey: booksKeys.classification(loanId),
    queryFn: () => unwrap(booksApi.GET('/api/v1/loans/{id}/classification', { params: { path: { id: loanId } } })),
  });
  const pending = useQuery({
    queryKey: [...booksKeys.classificationRequests, 'of-loan', loanId],
    queryFn: () => unwrap(booksApi.GET('/api/v1/classification-requests', { params: { query: { loanId, status: 'requested' } } })),
  });
  const c = view.data;
  const canWrite = has(BP.classificationWrite);
  const waiting = pending.data?.[0];
  return (
    <Card
      className="section-card"
      size="small"
      title={t('books.classification.title')}
      data-testid="loan-classification"
      extra={
        c &&
        canWrite && (
          <Space wrap size="small">
            <Button size="small" danger disabled={worseThan(c.classification).length === 0} onClick={() => setMode('worse')} data-testid="classification-worse">
              {t('books.classification.worse')}
            </Button>
            <Button size="small" disabled={betterThan(c.classification).length === 0 || !!waiting} onClick={() => setMode('better')} data-testid="classification-better">
              {t('books.classification.better')}
            </Button>
          </Space>
        )
      }
    >
      {view.isError && <Alert type="error" showIcon title={translateError(view.error, t, i18n)} />}
      {c && (
        <>
          <Descriptions bordered size="small" column={{ xs: 1, sm: 2, md: 3 }} className="detail-desc">
            <Descriptions.Item label={t('books.classification.current')}>
              <ClassTag value={c.classification} testId="classification-current" />
            </Descriptions.Item>
            <Descriptions.Item label={t('books.classification.floor')}>
              <ClassTag value={c.floor} testId="classification-floor" />
            </Descriptions.Item>
            <Descriptions.Item label={t('books.classification.dpd')}>
              <span data-testid="classification-dpd">{t('books.classification.days', { count: c.daysPastDue })}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('books.classification.assigned')}>
              <ClassTag value={c.assigned} />
            </Descriptions.Item>
            <Descriptions.Item label={t('books.classification.approvedFloor')}>
              <ClassTag value={c.approvedFloor} />
            </Descriptions.Item>
          </Descriptions>
          {waiting && (
            <Alert
              className="section-card"
              style={{ marginTop: 12 }}
              type="info"
              showIcon
              data-testid="classification-waiting"
              title={t('books.classification.waiting', { to: t(`books.classes.${waiting.toClass}`), by: waiting.requestedByName })}
            />
          )}
          <Typography.Paragraph type="secondary" className="flow-help" style={{ marginTop: 8 }}>
            {t('books.classification.help')}
          </Typography.Paragraph>
          <HistoryTable history={c.history} />
        </>
      )}
      {c && mode && <ClassifyDialog classification={c} mode={mode} onClose={() => setMode(null)} />}
    </Card>
  );
}

function HistoryTable({ history }: { history: ClassificationChange[] }) {
  const { t } = useTranslation();
  return (
    <div className="table-scroll">
      <Table<ClassificationChange>
        size="small"
        rowKey={(r) => `${r.madeAt}-${r.businessDate}-${r.toClass}-${r.source}`}
        dataSource={history}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="classification-history"
        locale={{ emptyText: t('books.classification.noHistory') }}
        columns={[
          { title: t('books.classification.businessDate'), dataIndex: 'businessDate' },
          {
            title: t('books.classification.change'),
            key: 'change',
            render: (_: unknown, r) => (
              <Space size={4}>
                <ClassTag value={r.fromClass} />→<ClassTag value={r.toClass} />
              </Space>
            ),
          },
          { title: t('books.classification.floor'), dataIndex: 'floor', render: (v: RiskClass) => <ClassTag value={v} /> },
          { title: t('books.classification.dpd'), dataIndex: 'daysPastDue', align: 'right' },
          {
            title: t('books.classification.source'),
            dataIndex: 'source',
            render: (s: string) => <Tag>{t(`books.classification.sources.${s}`, { defaultValue: s })}</Tag>,
          },
          { title: t('books.classification.madeBy'), dataIndex: 'madeByName', render: (v: string | null) => v ?? '-' },
          { title: t('books.classification.checkedBy'), dataIndex: 'checkedByName', render: (v: string | null) => v ?? '-' },
          { title: t('books.classification.reason'), dataIndex: 'reason', render: (v: string | null) => <span className="wrap-cell">{v ?? '-'}</span> },
          { title: t('books.classification.madeAt'), dataIndex: 'madeAt', render: formatDateTime },
        ]}
      />
    </div>
  );
}

interface ClassifyValues {
  classification: RiskClass;
  reason: string;
}

/** 调整为更差分类 (at once) or 申请上调分类 (reviewed by someone else), with the reason. */
function ClassifyDialog({ classification: c, mode, onClose }: { classification: LoanClassification; mode: Mode; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const isMobile = useIsMobile();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<ClassifyValues>();
  const options = (mode === 'worse' ? worseThan : betterThan)(c.classification);
  const submit = useMutation({
    mutationFn: async (v: ClassifyValues) => {
      const body = { classification: v.classification, reason: v.reason.trim() };
      if (mode === 'worse') {
        await unwrap(booksApi.POST('/api/v1/loans/{id}/classification', { params: { path: { id: c.loanId } }, body }));
      } else {
        await unwrap(booksApi.POST('/api/v1/classification-requests', { body: { loanId: c.loanId, ...body } }));
      }
    },
    onSuccess: () => {
      message.success(t(mode === 'worse' ? 'books.classification.classified' : 'books.classification.requested'));
      void queryClient.invalidateQueries({ queryKey: booksKeys.all });
      void queryClient.invalidateQueries({ queryKey: FINANCE_KEY });
      onClose();
    },
    onError: (e) => onError(e, { form }),
  });
  const title = t(mode === 'worse' ? 'books.classification.worse' : 'books.classification.better');
  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t(mode === 'worse' ? 'books.classification.worseOk' : 'books.classification.betterOk')}
      okButtonProps={{ danger: mode === 'worse', 'data-testid': 'classification-ok' }}
      cancelText={t('common.cancel')}
      confirmLoading={submit.isPending}
      width={isMobile ? '100%' : 520}
      destroyOnHidden
    >
      <Descriptions size="small" column={1} bordered className="section-card">
        <Descriptions.Item label={t('books.classification.loan')}>{c.loanNo}</Descriptions.Item>
        <Descriptions.Item label={t('books.classification.current')}>
          <ClassTag value={c.classification} />
        </Descriptions.Item>
        <Descriptions.Item label={t('books.classification.floor')}>
          <ClassTag value={c.floor} /> {t('books.classification.days', { count: c.daysPastDue })}
        </Descriptions.Item>
      </Descriptions>
      <Typography.Paragraph type="secondary">
        {t(mode === 'worse' ? 'books.classification.worseHelp' : 'books.classification.betterHelp')}
      </Typography.Paragraph>
      <Form<ClassifyValues> name={`booksClassify-${mode}`} form={form} layout="vertical" onFinish={(v) => submit.mutate(v)}>
        <Form.Item name="classification" label={t('books.classification.target')} rules={[{ required: true, message: t('validation.required') }]}>
          <Select<RiskClass>
            aria-label={t('books.classification.target')}
            options={options.map((x) => ({ value: x, label: t(`books.classes.${x}`) }))}
            data-testid="classification-target"
          />
        </Form.Item>
        <Form.Item name="reason" label={t('books.classification.reason')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input.TextArea rows={3} maxLength={500} showCount aria-label={t('books.classification.reason')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
