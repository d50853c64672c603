import { useState } from 'react';
import { Alert, App, Button, Descriptions, Form, Input, Modal, Radio, Select, Typography } from 'antd';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { translateError } from '../../../api/errors';
import { useErrorHandler } from '../../../api/useErrorHandler';
import { useAccess } from '../../../auth/hooks';
import { DataTable } from '../../../components/DataTable';
import { PageContainer } from '../../../components/PageContainer';
import { useIsMobile } from '../../../components/useIsMobile';
import { compact, formatDateTime } from '../../../lib/format';
import {
  booksApi,
  booksKeys,
  CLASSIFICATION_REQUEST_STATUSES,
  FINANCE_KEY,
  unwrap,
  type ClassificationRequest,
  type ClassificationRequestStatus,
  type RiskClass,
} from '../api/client';
import { BP } from '../permissions';
import { rejectNeedsComment, StatusTag } from '../shared';
import { ClassTag } from './ClassificationCard';

/**
 * 五级分类审核: requests for a better class than a loan carries. Someone other than the one who
 * asked approves (the loan takes the class, and it becomes the loan's floor until days past due
 * call for worse) or rejects with a comment.
 */
export default function ClassificationRequestsPage() {
  const { t, i18n } = useTranslation();
  const { has, me } = useAccess();
  const [status, setStatus] = useState<ClassificationRequestStatus | undefined>('requested');
  const [reviewing, setReviewing] = useState<ClassificationRequest | null>(null);
  const query = compact({ status });
  const list = useQuery({
    queryKey: [...booksKeys.classificationRequests, query],
    queryFn: () => unwrap(booksApi.GET('/api/v1/classification-requests', { params: { query } })),
    placeholderData: keepPreviousData,
  });
  const canReview = has(BP.classificationReview);
  return (
    <PageContainer title={t('books.classificationRequests.title')} subtitle={t('books.classificationRequests.subtitle')}>
      <div className="books-toolbar">
        <Select<ClassificationRequestStatus | undefined>
          style={{ minWidth: 160 }}
          allowClear
          placeholder={t('common.all')}
          value={status}
          onChange={setStatus}
          options={CLASSIFICATION_REQUEST_STATUSES.map((s) => ({ value: s, label: t(`books.statuses.classification.${s}`) }))}
          data-testid="classification-status-filter"
        />
      </div>
      {list.isError && <Alert className="section-card" type="error" showIcon title={translateError(list.error, t, i18n)} />}
      <DataTable<ClassificationRequest>
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data}
        pagination={{ pageSize: 20 }}
        locale={{ emptyText: t('books.classificationRequests.none') }}
        onRow={(r) => ({ 'data-testid': `classification-request-${r.id}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: t('books.classification.loan'),
            dataIndex: 'loanNo',
            render: (no: string, r) => (
              <Link to={`/finance/loans/${r.loanId}`} className="mono">
                {no}
              </Link>
            ),
          },
          { title: t('books.classificationRequests.customer'), dataIndex: 'customerName' },
          { title: t('books.classificationRequests.from'), dataIndex: 'fromClass', render: (v: RiskClass) => <ClassTag value={v} /> },
          { title: t('books.classificationRequests.to'), dataIndex: 'toClass', render: (v: RiskClass) => <ClassTag value={v} /> },
          { title: t('books.classification.floor'), dataIndex: 'floor', render: (v: RiskClass) => <ClassTag value={v} /> },
          { title: t('books.classification.reason'), dataIndex: 'reason', render: (v: string) => <span className="wrap-cell">{v}</span> },
          { title: t('books.classificationRequests.requestedBy'), dataIndex: 'requestedByName' },
          { title: t('books.classificationRequests.requestedAt'), dataIndex: 'requestedAt', render: formatDateTime },
          {
            title: t('common.status'),
            dataIndex: 'status',
            render: (s: string) => <StatusTag group="classification" status={s} />,
          },
          {
            title: t('books.classificationRequests.reviewedBy'),
            key: 'reviewed',
            render: (_: unknown, r) =>
              r.reviewedByName ? (
                <span className="wrap-cell">
                  {r.reviewedByName}
                  {r.reviewComment ? `：${r.reviewComment}` : ''}
                </span>
              ) : (
                '-'
              ),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, r) => {
              if (r.status !== 'requested' || !canReview) return null;
              if (me && r.requestedBy === me.id)
                return (
                  <Typography.Text type="secondary" data-testid={`classification-own-${r.id}`}>
                    {t('books.classificationRequests.ownRequest')}
                  </Typography.Text>
                );
              return (
                <Button type="link" size="small" onClick={() => setReviewing(r)} data-testid={`classification-review-${r.id}`}>
                  {t('books.classificationRequests.review')}
                </Button>
              );
            },
          },
        ]}
      />
      {reviewing && <ReviewDialog request={reviewing} onClose={() => setReviewing(null)} />}
    </PageContainer>
  );
}

interface ReviewValues {
  decision: 'approve' | 'reject';
  comment?: string;
}

function ReviewDialog({ request: r, onClose }: { request: ClassificationRequest; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const isMobile = useIsMobile();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<ReviewValues>();
  const decision = Form.useWatch('decision', form);
  const review = useMutation({
    mutationFn: (v: ReviewValues) =>
      unwrap(
        booksApi.POST('/api/v1/classification-requests/{id}/review', {
          params: { path: { id: r.id } },
          body: { decision: v.decision, comment: v.comment?.trim() || null, version: r.version },
        }),
      ),
    onSuccess: (done) => {
      message.success(t(done.status === 'approved' ? 'books.classificationRequests.approved' : 'books.classificationRequests.rejected'));
      void queryClient.invalidateQueries({ queryKey: booksKeys.all });
      void queryClient.invalidateQueries({ queryKey: FINANCE_KEY });
      onClose();
    },
    onError: (e) => onError(e, { form, onReload: () => void queryClient.invalidateQueries({ queryKey: booksKeys.all }).then(onClose) }),
  });
  return (
    <Modal
      open
      title={t('books.classificationRequests.reviewTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t(decision === 'reject' ? 'books.common.reject' : 'books.common.approve')}
      okButtonProps={{ 'data-testid': 'classification-review-ok' }}
      cancelText={t('common.cancel')}
      confirmLoading={review.isPending}
      width={isMobile ? '100%' : 560}
      destroyOnHidden
    >
      <Descriptions size="small" column={1} bordered className="section-card">
        <Descriptions.Item label={t('books.classification.loan')}>{`${r.loanNo} · ${r.customerName}`}</Descriptions.Item>
        <Descriptions.Item label={t('books.classificationRequests.change')}>
          <ClassTag value={r.fromClass} /> → <ClassTag value={r.toClass} />
        </Descriptions.Item>
        <Descriptions.Item label={t('books.classification.floor')}>
          <ClassTag value={r.floor} />
        </Descriptions.Item>
        <Descriptions.Item label={t('books.classification.reason')}>{r.reason}</Descriptions.Item>
        <Descriptions.Item label={t('books.classificationRequests.requestedBy')}>{r.requestedByName}</Descriptions.Item>
      </Descriptions>
      <Typography.Paragraph type="secondary">{t('books.classificationRequests.approveHelp')}</Typography.Paragraph>
      <Form<ReviewValues> name="booksClassificationReview" form={form} layout="vertical" initialValues={{ decision: 'approve' }} onFinish={(v) => review.mutate(v)}>
        <Form.Item name="decision" label={t('books.common.decision')}>
          <Radio.Group optionType="button" buttonStyle="solid">
            <Radio.Button value="approve" data-testid="classification-approve">
              {t('books.common.approve')}
            </Radio.Button>
            <Radio.Button value="reject" data-testid="classification-reject">
              {t('books.common.reject')}
            </Radio.Button>
          </Radio.Group>
        </Form.Item>
        <Form.Item name="comment" label={t('books.common.comment')} required={decision === 'reject'} rules={[rejectNeedsComment(t('books.common.commentRequired'))]}>
          <Input.TextArea rows={2} maxLength={500} aria-label={t('books.common.comment')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
