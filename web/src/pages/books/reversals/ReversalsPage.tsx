import { useRef, useState } from 'react';
import { Alert, App, Button, Descriptions, Form, Input, Modal, Radio, Select, Tabs, Typography } from 'antd';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError, translateError } from '../../../api/errors';
import { useErrorHandler } from '../../../api/useErrorHandler';
import { useAccess } from '../../../auth/hooks';
import { DataTable } from '../../../components/DataTable';
import { ListFilters } from '../../../components/ListFilters';
import { PageContainer } from '../../../components/PageContainer';
import { useIsMobile } from '../../../components/useIsMobile';
import { compact, formatDateTime } from '../../../lib/format';
import { SubmissionKeys } from '../../../lib/idempotency';
import {
  booksApi,
  booksKeys,
  FINANCE_KEY,
  REVERSAL_STATUSES,
  unwrap,
  type Repayment,
  type Reversal,
  type ReversalStatus,
} from '../api/client';
import { laterRepaymentCount } from '../lib/refusals';
import { BP } from '../permissions';
import { Amount, idempotencyHeader, rejectNeedsComment, StatusTag, VoucherLink } from '../shared';

/**
 * 还款冲正: undoing a confirmed repayment takes two people. One asks, with the reason (申请冲正);
 * another approves, which restores the loan as the repayment found it and posts the reversing
 * voucher, or rejects. A repayment with later repayments applied after it waits for those to be
 * reversed first (409 `later_repayments`).
 */
export default function ReversalsPage() {
  const { t } = useTranslation();
  const { has } = useAccess();
  const [tab, setTab] = useState('approvals');
  return (
    <PageContainer title={t('books.reversals.title')} subtitle={t('books.reversals.subtitle')}>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        destroyOnHidden
        items={[
          { key: 'approvals', label: t('books.reversals.approvals'), children: <Approvals /> },
          ...(has(BP.repaymentReverse) ? [{ key: 'request', label: t('books.reversals.request'), children: <ConfirmedRepayments /> }] : []),
        ]}
      />
    </PageContainer>
  );
}

function Approvals() {
  const { t, i18n } = useTranslation();
  const { has, me } = useAccess();
  const [status, setStatus] = useState<ReversalStatus | undefined>('requested');
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [reviewing, setReviewing] = useState<Reversal | null>(null);
  const query = { ...compact({ status }), ...paging };
  const list = useQuery({
    queryKey: ['books', 'reversals', query],
    queryFn: () => unwrap(booksApi.GET('/api/v1/repayment-reversals', { params: { query } })),
    placeholderData: keepPreviousData,
  });
  const canApprove = has(BP.repaymentReverseApprove);
  return (
    <>
      <div className="books-toolbar">
        <Select<ReversalStatus | undefined>
          style={{ minWidth: 160 }}
          allowClear
          placeholder={t('common.all')}
          value={status}
          onChange={(s) => {
            setStatus(s);
            setPaging((p) => ({ ...p, page: 1 }));
          }}
          options={REVERSAL_STATUSES.map((s) => ({ value: s, label: t(`books.statuses.reversal.${s}`) }))}
          data-testid="books-reversal-status-filter"
        />
      </div>
      {list.isError && <Alert className="section-card" type="error" showIcon title={translateError(list.error, t, i18n)} />}
      <DataTable<Reversal>
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data?.items}
        locale={{ emptyText: t('books.reversals.none') }}
        onRow={(r) => ({ 'data-testid': `books-reversal-row-${r.id}` }) as React.HTMLAttributes<HTMLElement>}
        pagination={{
          current: paging.page,
          pageSize: paging.pageSize,
          total: list.data?.total,
          onChange: (page, pageSize) => setPaging({ page, pageSize }),
        }}
        columns={[
          {
            title: t('books.reversals.loan'),
            dataIndex: 'loanNo',
            render: (no: string, r) => (
              <Link to={`/finance/loans/${r.loanId}`} className="mono">
                {no}
              </Link>
            ),
          },
          { title: t('books.reversals.customer'), dataIndex: 'customerName' },
          {
            title: t('books.reversals.repayment'),
            dataIndex: 'repaymentId',
            render: (id: number) => <Link to={`/money/repayments/${id}`}>#{id}</Link>,
          },
          { title: t('books.reversals.amount'), dataIndex: 'amount', align: 'right', render: (v: string) => <Amount value={v} /> },
          { title: t('books.reversals.reason'), dataIndex: 'reason', render: (v: string) => <span className="wrap-cell">{v}</span> },
          { title: t('books.reversals.requestedBy'), dataIndex: 'requestedByName' },
          { title: t('books.reversals.requestedAt'), dataIndex: 'requestedAt', render: formatDateTime },
          { title: t('common.status'), dataIndex: 'status', render: (s: string) => <StatusTag group="reversal" status={s} testId="books-reversal-status" /> },
          { title: t('books.common.voucher'), dataIndex: 'voucherId', render: (id: number | null) => <VoucherLink id={id} /> },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, r) => {
              if (r.status !== 'requested' || !canApprove) return null;
              if (me && r.requestedBy === me.id) return <Typography.Text type="secondary">{t('books.reversals.ownRequest')}</Typography.Text>;
              return (
                <Button type="link" size="small" onClick={() => setReviewing(r)} data-testid={`books-reversal-review-${r.id}`}>
                  {t('books.reversals.review')}
                </Button>
              );
            },
          },
        ]}
      />
      {reviewing && <ReversalReviewDialog reversal={reviewing} onClose={() => setReviewing(null)} />}
    </>
  );
}

interface RepaymentFilters {
  q?: string;
}

/** Confirmed repayments, each with a button to ask for its reversal. */
function ConfirmedRepayments() {
  const { t, i18n } = useTranslation();
  const [filterForm] = Form.useForm<RepaymentFilters>();
  const [q, setQ] = useState<string>();
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [requesting, setRequesting] = useState<Repayment | null>(null);
  const query = { status: 'confirmed' as const, ...compact({ q: q?.trim() }), ...paging };
  const list = useQuery({
    queryKey: ['books', 'confirmed-repayments', query],
    queryFn: () => unwrap(booksApi.GET('/api/v1/repayments', { params: { query } })),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <ListFilters<RepaymentFilters>
        name="booksReversalRepayments"
        form={filterForm}
        onSearch={(v) => {
          setQ(v.q);
          setPaging((p) => ({ ...p, page: 1 }));
        }}
      >
        {[
          <Form.Item key="q" name="q" label={t('common.keyword')}>
            <Input allowClear placeholder={t('books.reversals.searchHint')} />
          </Form.Item>,
        ]}
      </ListFilters>
      {list.isError && <Alert className="section-card" type="error" showIcon title={translateError(list.error, t, i18n)} />}
      <DataTable<Repayment>
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data?.items}
        locale={{ emptyText: t('books.reversals.noRepayments') }}
        pagination={{
          current: paging.page,
          pageSize: paging.pageSize,
          total: list.data?.total,
          onChange: (page, pageSize) => setPaging({ page, pageSize }),
        }}
        columns={[
          { title: t('books.reversals.loan'), dataIndex: 'loanNo', render: (v: string) => <span className="mono">{v}</span> },
          { title: t('books.reversals.customer'), dataIndex: 'customerName' },
          { title: t('books.reversals.amount'), dataIndex: 'amount', align: 'right', render: (v: string) => <Amount value={v} /> },
          { title: t('books.reversals.valueDate'), dataIndex: 'valueDate' },
          { title: t('books.reversals.reference'), dataIndex: 'reference', render: (v: string) => <span className="mono">{v}</span> },
          { title: t('books.reversals.confirmedBy'), dataIndex: 'confirmedByName', render: (v: string | null) => v ?? '-' },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, r) => (
              <Button type="link" size="small" danger onClick={() => setRequesting(r)} data-testid={`books-reversal-request-${r.id}`}>
                {t('books.reversals.requestAction')}
              </Button>
            ),
          },
        ]}
      />
      {requesting && <ReversalRequestDialog repayment={requesting} onClose={() => setRequesting(null)} />}
    </>
  );
}

/** 申请冲正 of one confirmed repayment, with the reason; embeddable in the repayment's page. */
export function ReversalRequestDialog({
  repayment,
  onClose,
  onDone,
}: {
  repayment: Pick<Repayment, 'id' | 'loanNo' | 'customerName' | 'amount' | 'valueDate'>;
  onClose: () => void;
  onDone?: (r: Reversal) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const isMobile = useIsMobile();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<{ reason: string }>();
  const keys = useRef(new SubmissionKeys()).current;
  const request = useMutation({
    mutationFn: (v: { reason: string }) => {
      const body = { reason: v.reason.trim() };
      return unwrap(
        booksApi.POST('/api/v1/repayments/{id}/reversals', {
          params: { path: { id: repayment.id }, header: idempotencyHeader(keys.keyFor({ id: repayment.id, ...body })) },
          body,
        }),
      );
    },
    onSuccess: (r) => {
      keys.settle();
      message.success(t('books.reversals.requested'));
      void queryClient.invalidateQueries({ queryKey: booksKeys.all });
      void queryClient.invalidateQueries({ queryKey: FINANCE_KEY });
      onDone?.(r);
      onClose();
    },
    onError: (e) => onError(e, { form }),
  });
  return (
    <Modal
      open
      title={t('books.reversals.requestTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('books.reversals.requestAction')}
      okButtonProps={{ danger: true, 'data-testid': 'books-reversal-request-ok' }}
      cancelText={t('common.cancel')}
      confirmLoading={request.isPending}
      width={isMobile ? '100%' : 520}
      destroyOnHidden
    >
      <Descriptions size="small" column={1} bordered className="section-card">
        <Descriptions.Item label={t('books.reversals.loan')}>{`${repayment.loanNo} · ${repayment.customerName}`}</Descriptions.Item>
        <Descriptions.Item label={t('books.reversals.amount')}>
          <Amount value={repayment.amount} strong /> {t('common.yuan')}
        </Descriptions.Item>
        <Descriptions.Item label={t('books.reversals.valueDate')}>{repayment.valueDate}</Descriptions.Item>
      </Descriptions>
      <Typography.Paragraph type="secondary">{t('books.reversals.requestHelp')}</Typography.Paragraph>
      <Form name="booksReversalRequest" form={form} layout="vertical" onFinish={(v) => request.mutate(v)}>
        <Form.Item name="reason" label={t('books.reversals.reason')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input.TextArea rows={3} maxLength={500} showCount aria-label={t('books.reversals.reason')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface ReviewValues {
  decision: 'approve' | 'reject';
  comment?: string;
}

function ReversalReviewDialog({ reversal, onClose }: { reversal: Reversal; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const isMobile = useIsMobile();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<ReviewValues>();
  const decision = Form.useWatch('decision', form);
  const keys = useRef(new SubmissionKeys()).current;
  const [later, setLater] = useState<number | 'some' | null>(null);
  const review = useMutation({
    mutationFn: (v: ReviewValues) => {
      const body = { decision: v.decision, comment: v.comment?.trim() || null, version: reversal.version };
      return unwrap(
        booksApi.POST('/api/v1/repayment-reversals/{id}/review', {
          params: { path: { id: reversal.id }, header: idempotencyHeader(keys.keyFor({ id: reversal.id, ...body })) },
          body,
        }),
      );
    },
    onSuccess: (r) => {
      keys.settle();
      message.success(t(r.status === 'approved' ? 'books.reversals.approved' : 'books.reversals.rejected'));
      void queryClient.invalidateQueries({ queryKey: booksKeys.all });
      void queryClient.invalidateQueries({ queryKey: FINANCE_KEY });
      onClose();
    },
    onError: (e) => {
      if (e instanceof ApiError && e.code === 'later_repayments') {
        // The answer is final for this request: the same key would get the same refusal.
        keys.settle();
        setLater(laterRepaymentCount(e) ?? 'some');
        return;
      }
      onError(e, { form, onReload: () => void queryClient.invalidateQueries({ queryKey: booksKeys.all }).then(onClose) });
    },
  });
  return (
    <Modal
      open
      title={t('books.reversals.reviewTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t(decision === 'reject' ? 'books.common.reject' : 'books.common.approve')}
      okButtonProps={{ danger: decision !== 'reject', 'data-testid': 'books-reversal-review-ok' }}
      cancelText={t('common.cancel')}
      confirmLoading={review.isPending}
      width={isMobile ? '100%' : 560}
      destroyOnHidden
    >
      <Descriptions size="small" column={1} bordered className="section-card">
        <Descriptions.Item label={t('books.reversals.loan')}>{`${reversal.loanNo} · ${reversal.customerName}`}</Descriptions.Item>
        <Descriptions.Item label={t('books.reversals.amount')}>
          <Amount value={reversal.amount} strong /> {t('common.yuan')}
        </Descriptions.Item>
        <Descriptions.Item label={t('books.reversals.reason')}>{reversal.reason}</Descriptions.Item>
        <Descriptions.Item label={t('books.reversals.requestedBy')}>{reversal.requestedByName}</Descriptions.Item>
      </Descriptions>
      {later !== null && (
        <Alert
          className="section-card"
          type="warning"
          showIcon
          data-testid="books-reversal-later"
          title={t('books.reversals.laterTitle')}
          description={later === 'some' ? t('books.reversals.laterHelpSome') : t('books.reversals.laterHelp', { count: later })}
        />
      )}
      <Typography.Paragraph type="secondary">{t('books.reversals.approveHelp')}</Typography.Paragraph>
      <Form<ReviewValues> name="booksReversalReview" form={form} layout="vertical" initialValues={{ decision: 'approve' }} onFinish={(v) => review.mutate(v)}>
        <Form.Item name="decision" label={t('books.common.decision')}>
          <Radio.Group optionType="button" buttonStyle="solid">
            <Radio.Button value="approve" data-testid="books-reversal-approve">
              {t('books.common.approve')}
            </Radio.Button>
            <Radio.Button value="reject" data-testid="books-reversal-reject">
              {t('books.common.reject')}
            </Radio.Button>
          </Radio.Group>
        </Form.Item>
        <Form.Item name="comment" label={t('books.common.comment')} required={decision === 'reject'}
            rules={[rejectNeedsComment(t('books.common.commentRequired'))]}>
          <Input.TextArea rows={2} maxLength={500} aria-label={t('books.common.comment')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
