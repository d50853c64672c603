import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App, Button, DatePicker, Descriptions, Form, Input, Modal, Radio, Select, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { translateError } from '../../../api/errors';
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
  FEE_STATUSES,
  FEE_TYPES,
  FINANCE_KEY,
  unwrap,
  useAccounts,
  useBusinessDate,
  type FeeReceipt,
  type FeeStatus,
  type RegisterFee,
} from '../api/client';
import { normalizeAmount } from '../lib/fen';
import { BP } from '../permissions';
import { accountLabel, Amount, DAY, fundAccounts, idempotencyHeader, rejectNeedsComment, StatusTag, VoucherLink } from '../shared';

const MONEY = /^\s*\d{1,15}(\.\d{1,2})?\s*$/;
const ID = /^\s*[1-9]\d{0,17}\s*$/;

interface Filters {
  status?: FeeStatus;
  contractId?: string;
}

/**
 * 咨询费登记 / 复核: fees received on signed contracts (consulting, service, GPS …), the register
 * form and a second person's review (approval posts Dr fund / Cr 6021 / Cr 222101). Each POST
 * carries an Idempotency-Key: one per submission, the same again when that submission is retried.
 */
export default function FeesPage() {
  const { t, i18n } = useTranslation();
  const { has, me } = useAccess();
  const [params] = useSearchParams();
  const initialContract = params.get('contractId') ?? undefined;
  const [filterForm] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({ contractId: initialContract });
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [registering, setRegistering] = useState(false);
  const [reviewing, setReviewing] = useState<FeeReceipt | null>(null);
  const contractId = filters.contractId && ID.test(filters.contractId) ? Number(filters.contractId) : undefined;
  const query = { ...compact({ status: filters.status, contractId }), ...paging };
  const list = useQuery({
    queryKey: ['books', 'fee-receipts', query],
    queryFn: () => unwrap(booksApi.GET('/api/v1/fee-receipts', { params: { query } })),
    placeholderData: keepPreviousData,
  });
  const canReview = has(BP.feeReview);

  return (
    <PageContainer
      title={t('books.fees.title')}
      subtitle={t('books.fees.subtitle')}
      extra={
        has(BP.feeRegister) && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setRegistering(true)} data-testid="books-fee-register">
            {t('books.fees.register')}
          </Button>
        )
      }
    >
      <ListFilters<Filters>
        name="booksFeeFilters"
        form={filterForm}
        onSearch={(v) => {
          setFilters(v);
          setPaging((p) => ({ ...p, page: 1 }));
        }}
      >
        {[
          <Form.Item key="status" name="status" label={t('common.status')}>
            <Select allowClear placeholder={t('common.all')} options={FEE_STATUSES.map((s) => ({ value: s, label: t(`books.statuses.fee.${s}`) }))} />
          </Form.Item>,
          <Form.Item key="contractId" name="contractId" label={t('books.fees.contractId')} initialValue={initialContract} rules={[{ pattern: ID, message: t('books.fees.contractIdInvalid') }]}>
            <Input allowClear inputMode="numeric" className="mono" />
          </Form.Item>,
        ]}
      </ListFilters>
      {list.isError && <Alert className="section-card" type="error" showIcon title={translateError(list.error, t, i18n)} />}
      <DataTable<FeeReceipt>
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data?.items}
        locale={{ emptyText: t('books.fees.none') }}
        onRow={(f) => ({ 'data-testid': `books-fee-row-${f.id}` }) as React.HTMLAttributes<HTMLElement>}
        pagination={{
          current: paging.page,
          pageSize: paging.pageSize,
          total: list.data?.total,
          onChange: (page, pageSize) => setPaging({ page, pageSize }),
        }}
        columns={[
          { title: t('books.fees.contract'), dataIndex: 'contractNo', render: (v: string) => <span className="mono">{v}</span> },
          { title: t('books.fees.customer'), dataIndex: 'customerName' },
          { title: t('books.fees.feeType'), dataIndex: 'feeType', render: (v: string) => t(`books.fees.types.${v}`, { defaultValue: v }) },
          { title: t('books.fees.amount'), dataIndex: 'amount', align: 'right', render: (v: string) => <Amount value={v} /> },
          { title: t('books.fees.fundAccount'), dataIndex: 'fundAccountCode', render: (v: string) => <span className="mono">{v}</span> },
          { title: t('books.fees.reference'), dataIndex: 'reference', render: (v: string) => <span className="mono">{v}</span> },
          { title: t('books.fees.valueDate'), dataIndex: 'valueDate' },
          { title: t('common.status'), dataIndex: 'status', render: (s: string) => <StatusTag group="fee" status={s} testId="books-fee-status" /> },
          { title: t('books.fees.registeredBy'), dataIndex: 'registeredByName' },
          { title: t('books.fees.registeredAt'), dataIndex: 'registeredAt', render: formatDateTime },
          { title: t('books.fees.reviewedBy'), dataIndex: 'reviewedByName', render: (v: string | null, f) => (v ? `${v}${f.reviewComment ? `（${f.reviewComment}）` : ''}` : '-') },
          { title: t('books.common.voucher'), dataIndex: 'voucherId', render: (id: number | null) => <VoucherLink id={id} /> },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, f) => {
              if (f.status !== 'registered' || !canReview) return null;
              if (me && f.registeredBy === me.id) return <Typography.Text type="secondary">{t('books.common.ownRegistration')}</Typography.Text>;
              return (
                <Button type="link" size="small" onClick={() => setReviewing(f)} data-testid={`books-fee-review-${f.id}`}>
                  {t('books.fees.review')}
                </Button>
              );
            },
          },
        ]}
      />
      {registering && <FeeRegisterDialog contractId={contractId} onClose={() => setRegistering(false)} />}
      {reviewing && <FeeReviewDialog fee={reviewing} onClose={() => setReviewing(null)} />}
    </PageContainer>
  );
}

interface RegisterValues {
  contractId: string;
  feeType: string;
  amount: string;
  fundAccountCode: string;
  reference: string;
  valueDate: Dayjs;
}

/** 咨询费登记: a fee received on a signed contract; embeddable in the contract page with its id. */
export function FeeRegisterDialog({ contractId, onClose, onDone }: { contractId?: number; onClose: () => void; onDone?: (f: FeeReceipt) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { has } = useAccess();
  const isMobile = useIsMobile();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<RegisterValues>();
  const keys = useRef(new SubmissionKeys()).current;
  const businessDate = useBusinessDate();
  const canList = has(BP.ledgerRead);
  const chart = useAccounts(canList);
  const accounts = useMemo(() => fundAccounts(chart.data), [chart.data]);
  const typedContract = Form.useWatch('contractId', form);
  const lookupId = typedContract && ID.test(typedContract) ? Number(typedContract) : undefined;
  const contract = useQuery({
    queryKey: ['books', 'contract', lookupId],
    queryFn: () => unwrap(booksApi.GET('/api/v1/contracts/{id}', { params: { path: { id: lookupId ?? 0 } } })),
    enabled: lookupId !== undefined && has(BP.contractRead),
    retry: false,
  });

  useEffect(() => {
    if (businessDate.data && !form.getFieldValue('valueDate')) form.setFieldValue('valueDate', dayjs(businessDate.data));
  }, [businessDate.data, form]);

  const register = useMutation({
    mutationFn: (v: RegisterValues) => {
      const body: RegisterFee = {
        contractId: Number(v.contractId),
        feeType: v.feeType,
        amount: normalizeAmount(v.amount) ?? v.amount.trim(),
        fundAccountCode: v.fundAccountCode.trim(),
        reference: v.reference.trim(),
        valueDate: v.valueDate.format(DAY),
      };
      return unwrap(booksApi.POST('/api/v1/fee-receipts', { params: { header: idempotencyHeader(keys.keyFor(body)) }, body }));
    },
    onSuccess: (f) => {
      keys.settle();
      message.success(t('books.fees.registered', { no: f.contractNo }));
      void queryClient.invalidateQueries({ queryKey: booksKeys.all });
      void queryClient.invalidateQueries({ queryKey: FINANCE_KEY });
      onDone?.(f);
      onClose();
    },
    onError: (e) => onError(e, { form }),
  });

  const today = businessDate.data ? dayjs(businessDate.data) : undefined;
  return (
    <Modal
      open
      title={t('books.fees.registerTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('books.fees.register')}
      okButtonProps={{ 'data-testid': 'books-fee-save' }}
      cancelText={t('common.cancel')}
      confirmLoading={register.isPending}
      width={isMobile ? '100%' : 560}
      destroyOnHidden
    >
      <Form<RegisterValues>
        name="booksFee"
        form={form}
        layout="vertical"
        initialValues={{ contractId: contractId ? String(contractId) : undefined, feeType: 'consulting' }}
        onFinish={(v) => register.mutate(v)}
      >
        <Form.Item
          name="contractId"
          label={t('books.fees.contractId')}
          extra={
            contract.data
              ? `${contract.data.contractNo} · ${contract.data.terms.borrowerName} · ${t(`books.fees.contractStatuses.${contract.data.status}`, { defaultValue: contract.data.status })}`
              : undefined
          }
          rules={[
            { required: true, message: t('validation.required') },
            { pattern: ID, message: t('books.fees.contractIdInvalid') },
          ]}
        >
          <Input inputMode="numeric" className="mono" disabled={contractId !== undefined} aria-label={t('books.fees.contractId')} />
        </Form.Item>
        <Form.Item name="feeType" label={t('books.fees.feeType')} rules={[{ required: true, message: t('validation.requiredSelect') }]}>
          <Select options={FEE_TYPES.map((f) => ({ value: f, label: t(`books.fees.types.${f}`) }))} aria-label={t('books.fees.feeType')} />
        </Form.Item>
        <Form.Item
          name="amount"
          label={t('books.fees.amountGross')}
          rules={[
            { required: true, message: t('validation.required') },
            { pattern: MONEY, message: t('validation.money') },
          ]}
        >
          <Input inputMode="decimal" suffix={t('common.yuan')} autoComplete="off" aria-label={t('books.fees.amountGross')} />
        </Form.Item>
        <Form.Item name="fundAccountCode" label={t('books.fees.fundAccount')} rules={[{ required: true, message: t('validation.requiredSelect') }]}>
          {canList ? (
            <Select<string>
              showSearch={{ optionFilterProp: 'label' }}
              loading={chart.isLoading}
              options={accounts.map((a) => ({ value: a.code, label: accountLabel(a) }))}
              aria-label={t('books.fees.fundAccount')}
            />
          ) : (
            <Input className="mono" aria-label={t('books.fees.fundAccount')} />
          )}
        </Form.Item>
        <Form.Item name="reference" label={t('books.fees.reference')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input maxLength={100} className="mono" autoComplete="off" aria-label={t('books.fees.reference')} />
        </Form.Item>
        <Form.Item name="valueDate" label={t('books.fees.valueDate')} rules={[{ required: true, message: t('validation.requiredSelect') }]}>
          <DatePicker style={{ width: '100%' }} disabledDate={(d) => (today ? d.isAfter(today, 'day') : false)} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface ReviewValues {
  decision: 'approve' | 'reject';
  comment?: string;
}

/** 咨询费复核: approve (the fee is posted) or reject with a reason; never one's own registration. */
export function FeeReviewDialog({ fee, onClose }: { fee: FeeReceipt; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const isMobile = useIsMobile();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<ReviewValues>();
  const decision = Form.useWatch('decision', form);
  const keys = useRef(new SubmissionKeys()).current;
  const review = useMutation({
    mutationFn: (v: ReviewValues) => {
      const body = { decision: v.decision, comment: v.comment?.trim() || null, version: fee.version };
      return unwrap(
        booksApi.POST('/api/v1/fee-receipts/{id}/review', {
          params: { path: { id: fee.id }, header: idempotencyHeader(keys.keyFor({ id: fee.id, ...body })) },
          body,
        }),
      );
    },
    onSuccess: (f) => {
      keys.settle();
      message.success(t(f.status === 'approved' ? 'books.fees.approved' : 'books.fees.rejected'));
      void queryClient.invalidateQueries({ queryKey: booksKeys.all });
      void queryClient.invalidateQueries({ queryKey: FINANCE_KEY });
      onClose();
    },
    onError: (e) => onError(e, { form, onReload: () => void queryClient.invalidateQueries({ queryKey: booksKeys.all }).then(onClose) }),
  });
  return (
    <Modal
      open
      title={t('books.fees.reviewTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t(decision === 'reject' ? 'books.common.reject' : 'books.common.approve')}
      okButtonProps={{ danger: decision === 'reject', 'data-testid': 'books-fee-review-ok' }}
      cancelText={t('common.cancel')}
      confirmLoading={review.isPending}
      width={isMobile ? '100%' : 560}
      destroyOnHidden
    >
      <Descriptions size="small" column={1} bordered className="section-card">
        <Descriptions.Item label={t('books.fees.contract')}>{`${fee.contractNo} · ${fee.customerName}`}</Descriptions.Item>
        <Descriptions.Item label={t('books.fees.feeType')}>{t(`books.fees.types.${fee.feeType}`, { defaultValue: fee.feeType })}</Descriptions.Item>
        <Descriptions.Item label={t('books.fees.amountGross')}>
          <Amount value={fee.amount} strong /> {t('common.yuan')}
        </Descriptions.Item>
        <Descriptions.Item label={t('books.fees.fundAccount')}>{fee.fundAccountCode}</Descriptions.Item>
        <Descriptions.Item label={t('books.fees.reference')}>{fee.reference}</Descriptions.Item>
        <Descriptions.Item label={t('books.fees.valueDate')}>{fee.valueDate}</Descriptions.Item>
        <Descriptions.Item label={t('books.fees.registeredBy')}>{fee.registeredByName}</Descriptions.Item>
      </Descriptions>
      <Form<ReviewValues> name="booksFeeReview" form={form} layout="vertical" initialValues={{ decision: 'approve' }} onFinish={(v) => review.mutate(v)}>
        <Form.Item name="decision" label={t('books.common.decision')}>
          <Radio.Group optionType="button" buttonStyle="solid">
            <Radio.Button value="approve" data-testid="books-fee-approve">
              {t('books.common.approve')}
            </Radio.Button>
            <Radio.Button value="reject" data-testid="books-fee-reject">
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
