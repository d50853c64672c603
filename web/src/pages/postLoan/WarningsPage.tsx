import { useEffect, useState } from 'react';
import { Alert, App, Button, Descriptions, Drawer, Empty, Form, Input, Radio, Select, Space, Spin, Tag, Timeline, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import {
  assignWarning,
  closeWarning,
  handleWarning,
  useWarning,
  useWarningRules,
  useWarnings,
  warningKeys,
  type Warning,
  type WarningAction,
  type WarningDetail,
  type WarningRule,
} from '../../api/warnings';
import { useErrorHandler } from '../../api/useErrorHandler';
import { P } from '../../access/permissions';
import { useAccess } from '../../auth/hooks';
import { DataTable } from '../../components/DataTable';
import { ListFilters } from '../../components/ListFilters';
import { PageContainer } from '../../components/PageContainer';
import { PersonSelect } from '../../components/PersonSelect';
import { useIsMobile } from '../../components/useIsMobile';
import { formatDateTime } from '../../lib/format';
import {
  DEFAULT_FILTERS,
  LEVEL_COLORS,
  STATUS_COLORS,
  WARNING_STATUSES,
  describeWarning,
  noteProblem,
  ruleLabel,
  warningPowers,
  warningQuery,
  type WarningFilterValues,
} from '../../lib/warnings';

export function WarningStatusTag({ status }: { status: Warning['status'] }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLORS[status]}>{t(`warnings.statuses.${status}`)}</Tag>;
}

export function WarningLevelTag({ level }: { level: Warning['level'] }) {
  const { t } = useTranslation();
  return <Tag color={LEVEL_COLORS[level]}>{t(`warnings.levels.${level}`)}</Tag>;
}

/** 贷后预警: the warnings in the caller's scope, filtered, each opened in a drawer to handle. */
export default function WarningsPage() {
  const { t } = useTranslation();
  const { me, has } = useAccess();
  const [filterForm] = Form.useForm<WarningFilterValues>();
  const [filters, setFilters] = useState<WarningFilterValues>(DEFAULT_FILTERS);
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [openId, setOpenId] = useState<number>();
  const rules = useWarningRules();
  const query = { ...warningQuery(filters, me?.id), ...paging };
  const list = useWarnings(query);
  const ruleOf = (code: string) => rules.data?.find((r) => r.code === code);
  const canOpenLoan = has(P.loanRead);

  return (
    <PageContainer title={t('warnings.title')} subtitle={t('warnings.subtitle')}>
      <ListFilters<WarningFilterValues>
        name="warningFilters"
        form={filterForm}
        onSearch={(v) => {
          setFilters({ ...v, status: v.status ?? '' });
          setPaging((p) => ({ ...p, page: 1 }));
        }}
      >
        {[
          <Form.Item key="status" name="status" label={t('common.status')} initialValue={DEFAULT_FILTERS.status}>
            <Select
              allowClear
              placeholder={t('common.all')}
              data-testid="warning-status-filter"
              options={[
                { value: 'live', label: t('warnings.filters.live') },
                ...WARNING_STATUSES.map((s) => ({ value: s, label: t(`warnings.statuses.${s}`) })),
              ]}
            />
          </Form.Item>,
          <Form.Item key="rule" name="ruleCode" label={t('warnings.columns.rule')}>
            <Select
              allowClear
              placeholder={t('common.all')}
              options={(rules.data ?? []).map((r) => ({ value: r.code, label: ruleLabel(r, r.code, t) }))}
            />
          </Form.Item>,
          <Form.Item key="assignee" name="assignee" label={t('warnings.columns.assignee')}>
            <Select
              allowClear
              placeholder={t('common.all')}
              options={[{ value: 'mine', label: t('warnings.filters.mine') }]}
              data-testid="warning-assignee-filter"
            />
          </Form.Item>,
          <Form.Item key="loan" name="loanId" label={t('warnings.filters.loanId')}>
            <Input allowClear inputMode="numeric" data-testid="warning-loan-filter" />
          </Form.Item>,
        ]}
      </ListFilters>
      <DataTable<Warning>
        rowKey="id"
        data-testid="warnings-table"
        loading={list.isFetching}
        dataSource={list.data?.items}
        onRow={(r) => ({ onClick: () => setOpenId(r.id), style: { cursor: 'pointer' } })}
        pagination={{
          current: paging.page,
          pageSize: paging.pageSize,
          total: list.data?.total,
          onChange: (page, pageSize) => setPaging({ page, pageSize }),
        }}
        columns={[
          { title: t('warnings.columns.raisedOn'), dataIndex: 'raisedOn' },
          { title: t('warnings.columns.level'), dataIndex: 'level', render: (l: Warning['level']) => <WarningLevelTag level={l} /> },
          { title: t('warnings.columns.rule'), dataIndex: 'ruleCode', render: (c: string) => ruleLabel(ruleOf(c), c, t) },
          {
            title: t('warnings.columns.detail'),
            key: 'detail',
            render: (_: unknown, w) => <span className="wrap-cell">{describeWarning(w, t)}</span>,
          },
          { title: t('warnings.columns.loan'), dataIndex: 'loanNo', render: (v: string) => <span className="mono">{v}</span> },
          { title: t('warnings.columns.customer'), dataIndex: 'customerName' },
          { title: t('common.status'), dataIndex: 'status', render: (s: Warning['status']) => <WarningStatusTag status={s} /> },
          { title: t('warnings.columns.assignee'), dataIndex: 'assigneeName', render: (v: string | null) => v ?? '-' },
          {
            title: t('common.actions'),
            key: 'open',
            render: (_: unknown, w) => (
              <Button
                type="link"
                size="small"
                data-testid={`warning-open-${w.id}`}
                onClick={(e) => {
                  e.stopPropagation();
                  setOpenId(w.id);
                }}
              >
                {w.status === 'closed' ? t('warnings.view') : t('warnings.handleButton')}
              </Button>
            ),
          },
        ]}
      />
      {openId !== undefined && (
        <WarningDrawer id={openId} rules={rules.data} canOpenLoan={canOpenLoan} onClose={() => setOpenId(undefined)} />
      )}
    </PageContainer>
  );
}

interface StepValues {
  action: WarningAction;
  assigneeId?: number;
  note?: string;
}

/** One warning: what it says, its handling history, and the next step for whoever may take it. */
export function WarningDrawer({
  id,
  rules,
  canOpenLoan,
  onClose,
}: {
  id: number;
  rules: WarningRule[] | undefined;
  canOpenLoan: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const isMobile = useIsMobile();
  const detail = useWarning(id);
  const w = detail.data?.warning;
  return (
    <Drawer
      open
      size={isMobile ? '100%' : 600}
      title={t('warnings.drawerTitle', { id })}
      onClose={onClose}
      destroyOnHidden
      data-testid="warning-drawer"
    >
      {!w ? (
        <Spin />
      ) : (
        <>
          <Descriptions bordered size="small" column={1} className="detail-desc" data-testid="warning-facts">
            <Descriptions.Item label={t('common.status')}>
              <WarningStatusTag status={w.status} /> <WarningLevelTag level={w.level} />
            </Descriptions.Item>
            <Descriptions.Item label={t('warnings.columns.rule')}>
              {ruleLabel(
                rules?.find((r) => r.code === w.ruleCode),
                w.ruleCode,
                t,
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('warnings.columns.detail')}>
              <span data-testid="warning-description">{describeWarning(w, t)}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('warnings.columns.loan')}>
              {canOpenLoan ? (
                <Link to={`/finance/loans/${w.loanId}`} className="mono">
                  {w.loanNo}
                </Link>
              ) : (
                <span className="mono">{w.loanNo}</span>
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('warnings.columns.customer')}>{w.customerName}</Descriptions.Item>
            <Descriptions.Item label={t('warnings.raisedAt')}>
              {w.raisedOn} · {formatDateTime(w.raisedAt)}
            </Descriptions.Item>
            <Descriptions.Item label={t('warnings.columns.assignee')}>{w.assigneeName ?? '-'}</Descriptions.Item>
          </Descriptions>
          <WarningStep detail={detail.data!} />
          <Typography.Title level={5} className="flow-history-title">
            {t('warnings.history')}
          </Typography.Title>
          {detail.data!.history.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('warnings.noHistory')} />
          ) : (
            <Timeline
              data-testid="warning-history"
              items={detail.data!.history.map((h) => ({
                color: h.toStatus === 'closed' ? 'gray' : h.toStatus === 'handled' ? 'blue' : 'orange',
                content: (
                  <div>
                    <div>
                      <strong>{t(`warnings.actions.${h.action}`)}</strong>
                      {h.action === 'assign' && h.assigneeName ? ` → ${h.assigneeName}` : ''}{' '}
                      <span className="muted">
                        {h.actorName} · {formatDateTime(h.at)}
                      </span>
                    </div>
                    {h.note && <div className="event-comment wrap-cell">{h.note}</div>}
                  </div>
                ),
              }))}
            />
          )}
        </>
      )}
    </Drawer>
  );
}

/** The next step of handling (分派/处理/关闭) for the signed-in user, if they may take one. */
function WarningStep({ detail }: { detail: WarningDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { me, has } = useAccess();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<StepValues>();
  const w = detail.warning;
  const powers = warningPowers(w, me?.id, has(P.warningHandle));
  const choices = (['handle', 'close', 'assign'] as const).filter((a) => powers[a]);
  const action = Form.useWatch('action', form) ?? choices[0];

  useEffect(() => {
    form.setFieldsValue({ action: choices[0], note: undefined, assigneeId: undefined });
    // A new version of the warning starts the form afresh.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [w.version]);

  const step = useMutation({
    mutationFn: (v: StepValues) => {
      const note = v.note?.trim() ?? '';
      if (v.action === 'assign') return assignWarning(w.id, { assigneeId: v.assigneeId!, note: note || null, version: w.version });
      if (v.action === 'handle') return handleWarning(w.id, { note, version: w.version });
      return closeWarning(w.id, { note, version: w.version });
    },
    onSuccess: (after, v) => {
      message.success(t(`warnings.done.${v.action}`));
      queryClient.setQueryData(warningKeys.one(w.id), after);
      void queryClient.invalidateQueries({ queryKey: ['warnings', 'list'] });
    },
    onError: (e) => onError(e, { form, onReload: () => void queryClient.invalidateQueries({ queryKey: warningKeys.all }) }),
  });

  if (choices.length === 0) {
    return powers.othersToHandle ? (
      <Alert className="check-note" type="info" showIcon title={t('warnings.othersToHandle', { name: w.assigneeName ?? '-' })} />
    ) : null;
  }
  return (
    <>
      {powers.othersToHandle && (
        <Alert className="check-note" type="info" showIcon title={t('warnings.othersToHandle', { name: w.assigneeName ?? '-' })} />
      )}
      <Form<StepValues>
        name="warningStep"
        form={form}
        layout="vertical"
        className="check-form"
        initialValues={{ action: choices[0] }}
        onFinish={(v) => step.mutate({ ...v, action: v.action ?? choices[0] })}
        data-testid="warning-step"
      >
        <Form.Item name="action" label={t('warnings.nextStep')}>
          <Radio.Group optionType="button" buttonStyle="solid">
            {choices.map((a) => (
              <Radio.Button key={a} value={a} data-testid={`warning-action-${a}`}>
                {t(a === 'assign' && w.status === 'assigned' ? 'warnings.actions.reassign' : `warnings.actions.${a}`)}
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
        {action === 'assign' && (
          <Form.Item
            name="assigneeId"
            label={t('warnings.columns.assignee')}
            rules={[{ required: true, message: t('warnings.assigneeRequired') }]}
          >
            <PersonSelect permission={P.warningHandle} data-testid="warning-assignee" />
          </Form.Item>
        )}
        <Form.Item
          name="note"
          label={t('warnings.note')}
          required={action !== 'assign'}
          dependencies={['action']}
          rules={[
            ({ getFieldValue }) => ({
              validator: async (_, v?: string) => {
                const problem = noteProblem(getFieldValue('action') ?? choices[0], v);
                if (problem) throw new Error(t(`warnings.noteProblems.${problem}`));
              },
            }),
          ]}
        >
          <Input.TextArea rows={3} maxLength={2000} showCount placeholder={t(`warnings.notePlaceholders.${action}`)} data-testid="warning-note" />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={step.isPending} data-testid="warning-submit">
            {t('warnings.submit')}
          </Button>
        </Space>
      </Form>
    </>
  );
}
