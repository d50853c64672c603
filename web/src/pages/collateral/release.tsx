import { useState } from 'react';
import { Alert, App, Button, DatePicker, Descriptions, Form, Input, Modal, Radio, Select, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError, translateError } from '../../api/errors';
import {
  decideRelease,
  fetchReleaseRequests,
  releaseRegistration,
  requestRelease,
  type ReleaseRequest,
} from '../../api/securing';
import { useErrorHandler } from '../../api/useErrorHandler';
import { P } from '../../access/permissions';
import { useAccess } from '../../auth/hooks';
import { DataTable } from '../../components/DataTable';
import { compact, formatDateTime } from '../../lib/format';
import { decisionAction, decisionBody, releaseBody, releaseRequestBody } from '../../lib/securing';

// Releasing a held car (解押), shared by the contract's collateral card and the mortgage/pledge
// query: a settled loan's car is released with its settlement certificate; before settlement
// one person asks for an early release (申请提前解押) and another approves or rejects it.

const DAY = 'YYYY-MM-DD';
const notFuture = (d: Dayjs) => d.isAfter(dayjs(), 'day');

/** Everything that shows a car's holding or its release requests is read again. */
export function useReleaseReload() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: ['contracts', 'collateral'] });
    void queryClient.invalidateQueries({ queryKey: ['collateral'] });
  };
}

/** A refusal of the step itself (409 other than a stale version): shown in the dialog. */
function useRefusal() {
  const { t, i18n } = useTranslation();
  const [refused, setRefused] = useState<string | null>(null);
  const refuse = (e: unknown) => {
    if (e instanceof ApiError && e.status === 409 && e.code !== 'version_conflict') {
      setRefused([translateError(e, t, i18n), e.problem.detail].filter(Boolean).join(' — '));
      return true;
    }
    return false;
  };
  return { refused, refuse, clear: () => setRefused(null) };
}

interface HeldCar {
  id: number;
  version: number;
}

interface ReleaseFormValues {
  settlementCertNo: string;
  handoverNote: string;
  releasedOn: Dayjs;
}

/** 解押 of a settled loan's car: the settlement certificate and the hand-over record. */
export function ReleaseDialog({ registration: r, vehicle, onClose }: { registration: HeldCar; vehicle: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const onError = useErrorHandler();
  const reload = useReleaseReload();
  const [form] = Form.useForm<ReleaseFormValues>();
  const { refused, refuse, clear } = useRefusal();
  const release = useMutation({
    mutationFn: (v: ReleaseFormValues) => releaseRegistration(r.id, releaseBody({ ...v, releasedOn: v.releasedOn.format(DAY) }, r.version)),
    onSuccess: () => {
      message.success(t('collateral.released'));
      reload();
      onClose();
    },
    onError: (e) => {
      if (refuse(e)) return;
      onError(e, {
        form,
        onReload: () => {
          reload();
          onClose();
        },
      });
    },
  });
  return (
    <Modal
      open
      title={t('collateral.releaseTitle', { vehicle })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('collateral.release')}
      okButtonProps={{ danger: true, 'data-testid': 'release-save' }}
      cancelText={t('common.cancel')}
      confirmLoading={release.isPending}
      destroyOnHidden
    >
      {refused && <Alert type="error" showIcon className="sign-hint" title={refused} data-testid="release-refused" />}
      <Typography.Paragraph type="secondary">{t('collateral.releaseHelp')}</Typography.Paragraph>
      <Form<ReleaseFormValues> name="release" form={form} layout="vertical" initialValues={{ releasedOn: dayjs() }} onValuesChange={clear} onFinish={(v) => release.mutate(v)}>
        <Form.Item name="settlementCertNo" label={t('collateral.settlementCertNo')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input maxLength={50} aria-label={t('collateral.settlementCertNo')} />
        </Form.Item>
        <Form.Item name="handoverNote" label={t('collateral.handoverNote')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input.TextArea rows={3} maxLength={500} showCount placeholder={t('collateral.handoverHint')} aria-label={t('collateral.handoverNote')} />
        </Form.Item>
        <Form.Item name="releasedOn" label={t('collateral.releasedOn')} rules={[{ required: true, message: t('validation.requiredSelect') }]}>
          <DatePicker style={{ width: '100%' }} disabledDate={notFuture} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface RequestValues {
  reason: string;
  handoverNote: string;
}

/** 申请提前解押: the reason and the planned hand-over; someone else approves. */
export function RequestReleaseDialog({ registration: r, vehicle, onClose }: { registration: HeldCar; vehicle: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const onError = useErrorHandler();
  const reload = useReleaseReload();
  const [form] = Form.useForm<RequestValues>();
  const { refused, refuse, clear } = useRefusal();
  const request = useMutation({
    mutationFn: (v: RequestValues) => requestRelease(r.id, releaseRequestBody(v, r.version)),
    onSuccess: () => {
      message.success(t('collateral.early.requested'));
      reload();
      onClose();
    },
    onError: (e) => {
      if (refuse(e)) return;
      onError(e, {
        form,
        onReload: () => {
          reload();
          onClose();
        },
      });
    },
  });
  return (
    <Modal
      open
      title={t('collateral.early.requestTitle', { vehicle })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('collateral.early.request')}
      okButtonProps={{ danger: true, 'data-testid': 'release-request-save' }}
      cancelText={t('common.cancel')}
      confirmLoading={request.isPending}
      destroyOnHidden
    >
      {refused && <Alert type="error" showIcon className="sign-hint" title={refused} data-testid="release-request-refused" />}
      <Typography.Paragraph type="secondary">{t('collateral.early.requestHelp')}</Typography.Paragraph>
      <Form<RequestValues> name="releaseRequest" form={form} layout="vertical" onValuesChange={clear} onFinish={(v) => request.mutate(v)}>
        <Form.Item name="reason" label={t('collateral.early.reason')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input.TextArea rows={2} maxLength={500} showCount aria-label={t('collateral.early.reason')} />
        </Form.Item>
        <Form.Item name="handoverNote" label={t('collateral.early.plannedHandover')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input.TextArea rows={3} maxLength={500} showCount placeholder={t('collateral.handoverHint')} aria-label={t('collateral.early.plannedHandover')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface DecideValues {
  decision: 'approve' | 'reject';
  comment?: string;
}

/** 审批提前解押: approve (the car is released now) or reject with a comment. */
export function DecideReleaseDialog({ request: q, onClose }: { request: ReleaseRequest; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const onError = useErrorHandler();
  const reload = useReleaseReload();
  const [form] = Form.useForm<DecideValues>();
  const decision = Form.useWatch('decision', form) ?? 'approve';
  const { refused, refuse, clear } = useRefusal();
  const decide = useMutation({
    mutationFn: (v: DecideValues) => decideRelease(q.id, decisionBody(v, q.version)),
    onSuccess: (done) => {
      message.success(t(done.status === 'approved' ? 'collateral.early.approved' : 'collateral.early.rejected'));
      reload();
      onClose();
    },
    onError: (e) => {
      if (refuse(e)) return;
      onError(e, {
        form,
        onReload: () => {
          reload();
          onClose();
        },
      });
    },
  });
  return (
    <Modal
      open
      title={t('collateral.early.decideTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t(decision === 'reject' ? 'collateral.early.reject' : 'collateral.early.approve')}
      okButtonProps={{ danger: decision !== 'reject', 'data-testid': 'release-decide-ok' }}
      cancelText={t('common.cancel')}
      confirmLoading={decide.isPending}
      destroyOnHidden
    >
      <Descriptions size="small" column={1} bordered className="section-card">
        <Descriptions.Item label={t('collateral.vehicle')}>
          {q.brand} {q.model} <span className="mono">{q.plate ?? q.vin}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('collateral.contractNo')}>{`${q.contractNo} · ${q.borrowerName}`}</Descriptions.Item>
        <Descriptions.Item label={t('collateral.early.reason')}>
          <span className="wrap-cell">{q.reason}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('collateral.early.plannedHandover')}>
          <span className="wrap-cell">{q.handoverNote}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('collateral.early.requestedBy')}>{`${q.requestedByName} · ${formatDateTime(q.requestedAt)}`}</Descriptions.Item>
      </Descriptions>
      {refused && <Alert type="error" showIcon className="sign-hint" title={refused} data-testid="release-decide-refused" />}
      <Typography.Paragraph type="secondary">{t('collateral.early.decideHelp')}</Typography.Paragraph>
      <Form<DecideValues> name="releaseDecision" form={form} layout="vertical" initialValues={{ decision: 'approve' }} onValuesChange={clear} onFinish={(v) => decide.mutate(v)}>
        <Form.Item name="decision" label={t('collateral.early.decision')}>
          <Radio.Group optionType="button" buttonStyle="solid">
            <Radio.Button value="approve" data-testid="release-approve">
              {t('collateral.early.approve')}
            </Radio.Button>
            <Radio.Button value="reject" data-testid="release-reject">
              {t('collateral.early.reject')}
            </Radio.Button>
          </Radio.Group>
        </Form.Item>
        <Form.Item
          name="comment"
          label={t('collateral.early.comment')}
          required={decision === 'reject'}
          rules={[
            {
              validator: async (_, value: string | undefined) => {
                if (form.getFieldValue('decision') === 'reject' && !(value ?? '').trim()) throw new Error(t('collateral.early.commentRequired'));
              },
            },
          ]}
        >
          <Input.TextArea rows={2} maxLength={500} aria-label={t('collateral.early.comment')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

const REQUEST_STATUSES = ['requested', 'approved', 'rejected'] as const;
type RequestStatus = (typeof REQUEST_STATUSES)[number];
const STATUS_COLOR: Record<string, string> = { requested: 'orange', approved: 'green', rejected: 'default' };

export function RequestStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOR[status]} data-testid="release-request-status">
      {t(`collateral.early.statuses.${status}`, { defaultValue: status })}
    </Tag>
  );
}

/** What the viewer may do with a request: 审批, or 本人申请 for their own. */
export function DecisionCell({ request: q, onDecide }: { request: ReleaseRequest; onDecide: (q: ReleaseRequest) => void }) {
  const { t } = useTranslation();
  const { has, me } = useAccess();
  const action = decisionAction(q, me?.id, has(P.collateralReleaseException));
  if (action === 'own') return <Typography.Text type="secondary">{t('collateral.early.ownRequest')}</Typography.Text>;
  if (action === 'decide')
    return (
      <Button type="link" size="small" onClick={() => onDecide(q)} data-testid={`release-decide-${q.id}`}>
        {t('collateral.early.decide')}
      </Button>
    );
  return null;
}

/** 待审批解押: early-release requests, the waiting ones first by default, decided by others. */
export function ReleaseRequestsTable() {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState<RequestStatus | undefined>('requested');
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [deciding, setDeciding] = useState<ReleaseRequest | null>(null);
  const { has } = useAccess();
  const query = { ...compact({ status }), ...paging };
  const list = useQuery({
    queryKey: ['collateral', 'release-requests', query],
    queryFn: () => fetchReleaseRequests(query),
    placeholderData: keepPreviousData,
  });
  const canOpen = has(P.contractRead);
  return (
    <>
      <div className="tab-actions">
        <Select<RequestStatus | undefined>
          style={{ minWidth: 160 }}
          allowClear
          placeholder={t('common.all')}
          value={status}
          onChange={(s) => {
            setStatus(s);
            setPaging((p) => ({ ...p, page: 1 }));
          }}
          options={REQUEST_STATUSES.map((s) => ({ value: s, label: t(`collateral.early.statuses.${s}`) }))}
          data-testid="release-requests-status"
        />
      </div>
      {list.isError && <Alert className="section-card" type="error" showIcon title={translateError(list.error, t, i18n)} />}
      <DataTable<ReleaseRequest>
        rowKey="id"
        data-testid="release-requests-table"
        loading={list.isFetching}
        dataSource={list.data?.items}
        locale={{ emptyText: t('collateral.early.none') }}
        onRow={(q) => ({ 'data-testid': `release-request-row-${q.id}` }) as React.HTMLAttributes<HTMLElement>}
        pagination={{
          current: paging.page,
          pageSize: paging.pageSize,
          total: list.data?.total,
          onChange: (page, pageSize) => setPaging({ page, pageSize }),
        }}
        columns={[
          {
            title: t('collateral.vehicle'),
            key: 'vehicle',
            render: (_: unknown, q) => (
              <>
                {q.brand} {q.model}
                <div className="mono">{q.plate ?? q.vin}</div>
              </>
            ),
          },
          {
            title: t('collateral.contractNo'),
            dataIndex: 'contractNo',
            render: (no: string, q) => (canOpen ? <Link to={`/business/contracts/${q.contractId}`}>{no}</Link> : no),
          },
          { title: t('collateral.borrower'), dataIndex: 'borrowerName' },
          { title: t('collateral.early.reason'), dataIndex: 'reason', render: (v: string) => <span className="wrap-cell">{v}</span> },
          { title: t('collateral.early.plannedHandover'), dataIndex: 'handoverNote', render: (v: string) => <span className="wrap-cell">{v}</span> },
          {
            title: t('collateral.early.requestedBy'),
            key: 'requested',
            render: (_: unknown, q) => (
              <>
                {q.requestedByName}
                <div className="muted">{formatDateTime(q.requestedAt)}</div>
              </>
            ),
          },
          { title: t('common.status'), dataIndex: 'status', render: (s: string) => <RequestStatusTag status={s} /> },
          {
            title: t('collateral.early.reviewedBy'),
            key: 'reviewed',
            render: (_: unknown, q) =>
              q.reviewedByName ? (
                <>
                  {q.reviewedByName}
                  <div className="muted">{formatDateTime(q.reviewedAt)}</div>
                  {q.reviewComment && <div className="wrap-cell">{q.reviewComment}</div>}
                </>
              ) : (
                '-'
              ),
          },
          { title: t('common.actions'), key: 'actions', render: (_: unknown, q) => <DecisionCell request={q} onDecide={setDeciding} /> },
        ]}
      />
      {deciding && <DecideReleaseDialog request={deciding} onClose={() => setDeciding(null)} />}
    </>
  );
}
