import { useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Radio, Space, Table, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError, translateError } from '../../../api/errors';
import { useErrorHandler } from '../../../api/useErrorHandler';
import { useAccess } from '../../../auth/hooks';
import { DataTable } from '../../../components/DataTable';
import { PageContainer } from '../../../components/PageContainer';
import { useIsMobile } from '../../../components/useIsMobile';
import { formatDateTime } from '../../../lib/format';
import { booksApi, booksKeys, FINANCE_KEY, unwrap, VOUCHER_STATUSES, type Voucher, type VoucherLine, type VoucherStatus } from '../api/client';
import { addAmounts } from '../lib/fen';
import { BP } from '../permissions';
import { Amount, rejectNeedsComment, StatusTag } from '../shared';

/** A voucher's lines with the debit and credit totals, as the 记账凭证 prints them. */
export function VoucherLines({ voucher }: { voucher: Voucher }) {
  const { t } = useTranslation();
  const debit = addAmounts(voucher.lines.map((l) => l.debit));
  const credit = addAmounts(voucher.lines.map((l) => l.credit));
  return (
    <div className="table-scroll">
      <Table<VoucherLine>
        size="small"
        rowKey="lineNo"
        pagination={false}
        dataSource={voucher.lines}
        data-testid={`books-voucher-lines-${voucher.id}`}
        columns={[
          { title: t('books.voucher.memo'), dataIndex: 'memo', render: (v: string) => v || voucher.summary },
          { title: t('books.voucher.account'), key: 'account', render: (_: unknown, l) => <span className="mono">{`${l.accountCode} ${l.accountName}`}</span> },
          { title: t('books.voucher.debit'), dataIndex: 'debit', align: 'right', render: (v: string) => <Amount value={v} /> },
          { title: t('books.voucher.credit'), dataIndex: 'credit', align: 'right', render: (v: string) => <Amount value={v} /> },
        ]}
        summary={() => (
          <Table.Summary.Row className="books-row-total">
            <Table.Summary.Cell index={0} colSpan={2}>
              {t('books.voucher.total')}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={2} align="right">
              <Amount value={debit} strong />
            </Table.Summary.Cell>
            <Table.Summary.Cell index={3} align="right">
              <Amount value={credit} strong />
            </Table.Summary.Cell>
          </Table.Summary.Row>
        )}
      />
    </div>
  );
}

/**
 * 凭证审核: manual vouchers waiting for a second person, with their lines; post one or reject it
 * with a comment. Whoever wrote a voucher cannot review it (the server answers 403 `maker_checker`),
 * so the page offers them no review action on it, and the dialog still explains the 403 should a
 * stale list offer one.
 */
export default function VoucherReviewPage() {
  const { t, i18n } = useTranslation();
  const { has, me } = useAccess();
  const navigate = useNavigate();
  const [status, setStatus] = useState<VoucherStatus>('pending');
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [reviewing, setReviewing] = useState<Voucher | null>(null);
  const query = { status, ...paging };
  const list = useQuery({
    queryKey: ['books', 'vouchers', query],
    queryFn: () => unwrap(booksApi.GET('/api/v1/vouchers', { params: { query } })),
    placeholderData: keepPreviousData,
  });
  const canReview = has(BP.voucherReview);
  return (
    <PageContainer
      title={t('books.review.title')}
      subtitle={t('books.review.subtitle')}
      extra={
        has(BP.voucherWrite) && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/books/vouchers/new')} data-testid="books-voucher-new">
            {t('books.voucher.title')}
          </Button>
        )
      }
    >
      <div className="books-toolbar">
        <Radio.Group
          optionType="button"
          buttonStyle="solid"
          value={status}
          onChange={(e) => {
            setStatus(e.target.value as VoucherStatus);
            setPaging((p) => ({ ...p, page: 1 }));
          }}
          options={VOUCHER_STATUSES.map((s) => ({ value: s, label: t(`books.statuses.voucher.${s}`) }))}
          data-testid="books-review-status"
        />
      </div>
      {list.isError && <Alert className="section-card" type="error" showIcon title={translateError(list.error, t, i18n)} />}
      <DataTable<Voucher>
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data?.items}
        locale={{ emptyText: t(status === 'pending' ? 'books.review.nothingPending' : 'books.review.none') }}
        expandable={{ expandedRowRender: (v) => <VoucherLines voucher={v} />, rowExpandable: (v) => v.lines.length > 0 }}
        onRow={(v) => ({ 'data-testid': `books-review-row-${v.id}` }) as React.HTMLAttributes<HTMLElement>}
        pagination={{
          current: paging.page,
          pageSize: paging.pageSize,
          total: list.data?.total,
          onChange: (page, pageSize) => setPaging({ page, pageSize }),
        }}
        columns={[
          {
            title: t('books.review.voucherNo'),
            dataIndex: 'voucherNo',
            render: (no: string, v) => (
              <Link to={`/money/vouchers/${v.id}`} className="mono">
                {no}
              </Link>
            ),
          },
          { title: t('books.voucher.date'), dataIndex: 'voucherDate' },
          { title: t('books.voucher.summary'), dataIndex: 'summary', render: (s: string) => <span className="wrap-cell">{s}</span> },
          { title: t('books.review.amount'), dataIndex: 'total', align: 'right', render: (v: string) => <Amount value={v} /> },
          { title: t('books.review.maker'), dataIndex: 'createdByName', render: (v: string | null) => v ?? '-' },
          { title: t('books.review.createdAt'), dataIndex: 'createdAt', render: formatDateTime },
          { title: t('common.status'), dataIndex: 'status', render: (s: string) => <StatusTag group="voucher" status={s} /> },
          ...(status === 'pending' && canReview
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  render: (_: unknown, v: Voucher) =>
                    me && v.createdBy === me.id ? (
                      <Typography.Text type="secondary" data-testid={`books-review-others-${v.id}`}>
                        {t('books.review.othersReview')}
                      </Typography.Text>
                    ) : (
                      <Button type="link" size="small" onClick={() => setReviewing(v)} data-testid={`books-review-${v.id}`}>
                        {t('books.review.review')}
                      </Button>
                    ),
                },
              ]
            : []),
        ]}
      />
      {reviewing && <ReviewDialog voucher={reviewing} onClose={() => setReviewing(null)} />}
    </PageContainer>
  );
}

interface ReviewValues {
  decision: 'post' | 'reject';
  comment?: string;
}

function ReviewDialog({ voucher, onClose }: { voucher: Voucher; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const isMobile = useIsMobile();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<ReviewValues>();
  const decision = Form.useWatch('decision', form);
  const [ownVoucher, setOwnVoucher] = useState(false);
  const review = useMutation({
    mutationFn: (v: ReviewValues) =>
      unwrap(
        booksApi.POST('/api/v1/vouchers/{id}/review', {
          params: { path: { id: voucher.id } },
          body: { decision: v.decision, comment: v.comment?.trim() || null },
        }),
      ),
    onSuccess: (v) => {
      message.success(t(v.status === 'posted' ? 'books.review.posted' : 'books.review.rejected', { no: v.voucherNo }));
      void queryClient.invalidateQueries({ queryKey: booksKeys.all });
      void queryClient.invalidateQueries({ queryKey: FINANCE_KEY });
      onClose();
    },
    onError: (e) => {
      if (e instanceof ApiError && e.code === 'maker_checker') setOwnVoucher(true);
      else onError(e, { form });
    },
  });
  return (
    <Modal
      open
      title={t('books.review.dialogTitle', { no: voucher.voucherNo })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t(decision === 'reject' ? 'books.review.reject' : 'books.review.post')}
      okButtonProps={{ danger: decision === 'reject', disabled: ownVoucher, 'data-testid': 'books-review-ok' }}
      cancelText={t('common.cancel')}
      confirmLoading={review.isPending}
      width={isMobile ? '100%' : 720}
      destroyOnHidden
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text>
          {voucher.voucherDate} · {voucher.summary} · {t('books.review.maker')} {voucher.createdByName ?? '-'}
        </Typography.Text>
        <VoucherLines voucher={voucher} />
        {ownVoucher && <Alert type="error" showIcon title={t('books.review.ownVoucher')} data-testid="books-review-own" />}
        <Form<ReviewValues> name="booksVoucherReview" form={form} layout="vertical" initialValues={{ decision: 'post' }} onFinish={(v) => review.mutate(v)}>
          <Form.Item name="decision" label={t('books.review.decision')}>
            <Radio.Group optionType="button" buttonStyle="solid">
              <Radio.Button value="post" data-testid="books-review-post">
                {t('books.review.post')}
              </Radio.Button>
              <Radio.Button value="reject" data-testid="books-review-reject">
                {t('books.review.reject')}
              </Radio.Button>
            </Radio.Group>
          </Form.Item>
          <Form.Item
            name="comment"
            label={t('books.review.comment')}
            required={decision === 'reject'}
            rules={[rejectNeedsComment(t('books.review.commentRequired'))]}
          >
            <Input.TextArea rows={2} maxLength={500} data-testid="books-review-comment" />
          </Form.Item>
        </Form>
      </Space>
    </Modal>
  );
}
