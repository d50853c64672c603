import { Alert, App, Button, Card, Descriptions, Empty, Form, Input, Radio, Select, Spin, Tag } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ApiError, translateError } from '../../api/errors';
import { useApplication, type ApplicationDetail } from '../../api/origination';
import { useErrorHandler } from '../../api/useErrorHandler';
import { ACTION_KINDS, TO_APPLICANT, type ActionKind, type Task } from '../../api/workflow';
import { useAccess } from '../../auth/hooks';
import { PageContainer } from '../../components/PageContainer';
import { returnTargets } from '../../lib/application';
import { formatDateTime } from '../../lib/format';
import { ApplicationBody } from '../business/applications/ApplicationSections';
import { InvestigationCard } from '../business/applications/InvestigationCard';
import { ApplicationStatusTag, UserSelect } from '../business/applications/shared';

const ACTION_COLORS: Record<string, string> = { approve: 'success', reject: 'error', return: 'warning', transfer: 'processing' };

/** One task: the record to decide, and (while it is open) the decision with an opinion. */
export default function TaskPage() {
  const { t, i18n } = useTranslation();
  const { id: idParam } = useParams();
  const id = Number(idParam);
  const task = useQuery({
    queryKey: ['tasks', 'one', id],
    queryFn: () => unwrap(api.GET('/api/v1/tasks/{id}', { params: { path: { id } } })),
    enabled: Number.isFinite(id) && id > 0,
  });
  const isLoan = task.data?.businessType === 'loan_application';
  const detail = useApplication(task.data?.businessId ?? 0, isLoan);

  if (task.isPending)
    return (
      <PageContainer title={t('tasks.title')}>
        <Spin />
      </PageContainer>
    );
  if (task.isError || !task.data)
    return (
      <PageContainer title={t('tasks.title')}>
        <Empty description={translateError(task.error, t, i18n)} />
      </PageContainer>
    );
  const tk = task.data;
  return (
    <PageContainer
      title={tk.title}
      subtitle={`${t(`flows.types.${tk.businessType}`)} · ${tk.stepName} · ${t('tasks.applicantIs', { name: tk.applicantName })}`}
      extra={detail.data && <ApplicationStatusTag status={detail.data.application.status} />}
    >
      {tk.status === 'open' ? (
        <ActionPanel task={tk} detail={detail.data} />
      ) : (
        <Card className="section-card" size="small" title={t('tasks.result')}>
          <Descriptions size="small" column={{ xs: 1, sm: 3 }} data-testid="task-result">
            <Descriptions.Item label={t('tasks.myAction')}>
              {tk.action ? <Tag color={ACTION_COLORS[tk.action]}>{t(`tasks.actions.${tk.action}`)}</Tag> : <Tag>{t(`tasks.statuses.${tk.status}`)}</Tag>}
            </Descriptions.Item>
            <Descriptions.Item label={t('tasks.actedBy')}>{tk.actedByName ?? '-'}</Descriptions.Item>
            <Descriptions.Item label={t('tasks.actedAt')}>{formatDateTime(tk.actedAt)}</Descriptions.Item>
            {tk.comment && (
              <Descriptions.Item label={t('tasks.comment')} span="filled">
                <span className="wrap-cell">{tk.comment}</span>
              </Descriptions.Item>
            )}
          </Descriptions>
        </Card>
      )}
      {!isLoan ? (
        <Alert type="info" showIcon title={t('tasks.otherType')} />
      ) : detail.isPending ? (
        <Spin />
      ) : detail.isError ? (
        <Alert type="error" showIcon title={translateError(detail.error, t, i18n)} />
      ) : (
        <ApplicationBody
          detail={detail.data}
          investigation={<InvestigationCard applicationId={detail.data.application.id} investigation={detail.data.investigation} files={detail.data.files} canInvestigate={false} />}
        />
      )}
    </PageContainer>
  );
}

interface ActionValues {
  action: ActionKind;
  comment?: string;
  returnTo?: string;
  transferTo?: number;
}

/** 审批: approve, reject, return (to the applicant or a passed step) or transfer, with an opinion. */
function ActionPanel({ task, detail }: { task: Task; detail: ApplicationDetail | undefined }) {
  const { t } = useTranslation();
  const { me } = useAccess();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<ActionValues>();
  const action = Form.useWatch('action', form) ?? 'approve';
  const targets = detail?.flow ? returnTargets(detail.flow) : [{ value: TO_APPLICANT }];
  const act = useMutation({
    mutationFn: (v: ActionValues) =>
      unwrap(
        api.POST('/api/v1/tasks/{id}/actions', {
          params: { path: { id: task.id } },
          body: {
            action: v.action,
            comment: v.comment?.trim() || null,
            returnTo: v.action === 'return' ? (v.returnTo ?? TO_APPLICANT) : null,
            transferTo: v.action === 'transfer' ? (v.transferTo ?? null) : null,
          },
        }),
      ),
    onSuccess: (outcome, v) => {
      const key = v.action === 'transfer' ? 'transferred' : v.action === 'approve' && outcome.decision === 'pending' ? 'passedOn' : outcome.decision;
      message.success(t(`tasks.outcomes.${key}`));
      void queryClient.invalidateQueries({ queryKey: ['tasks'] });
      void queryClient.invalidateQueries({ queryKey: ['loan-applications'] });
      navigate('/tasks');
    },
    onError: (e) => {
      if (e instanceof ApiError && e.code === 'task_closed') void queryClient.invalidateQueries({ queryKey: ['tasks', 'one', task.id] });
      onError(e, { form });
    },
  });
  const commentRequired = action === 'reject' || action === 'return';
  return (
    <Card className="section-card task-panel" size="small" title={t('tasks.decide', { step: task.stepName })} data-testid="task-panel">
      <Form<ActionValues> name="task" form={form} layout="vertical" initialValues={{ action: 'approve', returnTo: TO_APPLICANT }} onFinish={(v) => act.mutate(v)}>
        <Form.Item name="action" label={t('tasks.action')}>
          <Radio.Group buttonStyle="solid" className="task-actions">
            {ACTION_KINDS.map((k) => (
              <Radio.Button key={k} value={k}>
                <span data-testid={`task-action-${k}`}>{t(`tasks.actions.${k}`)}</span>
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
        {action === 'return' && (
          <Form.Item name="returnTo" label={t('tasks.returnTo')} rules={[{ required: true, message: t('validation.requiredSelect') }]}>
            <Select
              options={targets.map((r) => ({
                value: r.value,
                label: r.value === TO_APPLICANT ? t('tasks.toApplicantLong') : t('tasks.toStep', { name: r.stepName, key: r.value }),
              }))}
            />
          </Form.Item>
        )}
        {action === 'transfer' && (
          <Form.Item name="transferTo" label={t('tasks.transferTo')} rules={[{ required: true, message: t('validation.requiredSelect') }]} extra={t('tasks.transferHelp')}>
            <UserSelect exclude={[me?.id ?? 0, detail?.application.createdBy ?? 0]} />
          </Form.Item>
        )}
        <Form.Item
          name="comment"
          label={t('tasks.opinion')}
          rules={commentRequired ? [{ required: true, whitespace: true, message: t('tasks.opinionRequired') }] : []}
        >
          <Input.TextArea rows={3} maxLength={2000} showCount placeholder={t(commentRequired ? 'tasks.opinionWhy' : 'tasks.opinionHint')} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={act.isPending} danger={action === 'reject'} data-testid="task-submit" block>
          {t(`tasks.submit.${action}`)}
        </Button>
      </Form>
    </Card>
  );
}
