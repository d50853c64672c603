import { Alert, App, Button, Card, Descriptions, Empty, Form, Input, Radio, Select, Spin, Tag } from 'antd';
import { TeamOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ApiError, translateError } from '../../api/errors';
import { useMeetings } from '../../api/committee';
import { useCreditLine } from '../../api/credit';
import { useApplication, type FlowInstance } from '../../api/origination';
import { useErrorHandler } from '../../api/useErrorHandler';
import { ACTION_KINDS, TO_APPLICANT, type ActionKind, type Task } from '../../api/workflow';
import { P } from '../../access/permissions';
import { useAccess } from '../../auth/hooks';
import { PageContainer } from '../../components/PageContainer';
import { PersonSelect } from '../../components/PersonSelect';
import { returnTargets } from '../../lib/application';
import { committeeOfStep, meetingOfTask } from '../../lib/committee';
import { formatDateTime } from '../../lib/format';
import { ApplicationBody } from '../business/applications/ApplicationSections';
import { InvestigationCard } from '../business/applications/InvestigationCard';
import { ApplicationStatusTag } from '../business/applications/shared';
import { CreditLineBody, CreditLineStatusTag } from '../business/creditLines/CreditLineSections';

const ACTION_COLORS: Record<string, string> = { approve: 'success', reject: 'error', return: 'warning', transfer: 'processing' };

/**
 * One task: the record to decide (a loan application or a credit line), and (while it is open)
 * the decision with an opinion, or, at a committee step, where the committee will vote on it.
 */
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
  const isLine = task.data?.businessType === 'credit_line';
  const detail = useApplication(task.data?.businessId ?? 0, isLoan);
  const line = useCreditLine(task.data?.businessId ?? 0, isLine);
  const record = isLoan ? detail : isLine ? line : null;

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
  const flow: FlowInstance | null | undefined = isLoan ? detail.data?.flow : isLine ? line.data?.flow : undefined;
  const applicantId = isLoan ? detail.data?.application.createdBy : isLine ? line.data?.line.createdBy : undefined;
  const committeeId = committeeOfStep(flow?.graph, tk.stepKey);
  // The panel waits for the record, so that a committee step never shows approve buttons first.
  const ready = !record || !!record.data || record.isError;
  return (
    <PageContainer
      title={tk.title}
      subtitle={`${t(`flows.types.${tk.businessType}`)} · ${tk.stepName} · ${t('tasks.applicantIs', { name: tk.applicantName })}`}
      extra={
        detail.data && isLoan ? (
          <ApplicationStatusTag status={detail.data.application.status} />
        ) : line.data && isLine ? (
          <CreditLineStatusTag status={line.data.line.status} />
        ) : undefined
      }
    >
      {tk.status === 'open' ? (
        !ready ? null : committeeId ? (
          <CommitteeWait task={tk} committeeId={committeeId} />
        ) : (
          <ActionPanel task={tk} flow={flow} applicantId={applicantId} />
        )
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
      {isLoan ? (
        detail.isPending ? (
          <Spin />
        ) : detail.isError ? (
          <Alert type="error" showIcon title={translateError(detail.error, t, i18n)} />
        ) : (
          <ApplicationBody
            detail={detail.data}
            investigation={<InvestigationCard applicationId={detail.data.application.id} investigation={detail.data.investigation} files={detail.data.files} canInvestigate={false} />}
          />
        )
      ) : isLine ? (
        line.isPending ? (
          <Spin />
        ) : line.isError ? (
          <Alert type="error" showIcon title={translateError(line.error, t, i18n)} />
        ) : (
          <CreditLineBody detail={line.data} />
        )
      ) : (
        <Alert type="info" showIcon title={t('tasks.otherType')} />
      )}
    </PageContainer>
  );
}

/**
 * 待贷审会表决: a committee step is decided by the committee's vote at a meeting, not from an
 * inbox; this says which meeting has it, or that it waits to be put on an agenda.
 */
function CommitteeWait({ task, committeeId }: { task: Task; committeeId: number }) {
  const { t } = useTranslation();
  const { has } = useAccess();
  const meetings = useMeetings();
  const found = meetings.data ? meetingOfTask(meetings.data, task.id) : null;
  return (
    <Card className="section-card task-panel" size="small" title={t('tasks.committeeTitle')} data-testid="committee-wait">
      <Alert
        type="info"
        showIcon
        icon={<TeamOutlined />}
        title={t('tasks.committeeDecides')}
        description={
          meetings.isLoading
            ? undefined
            : found
              ? t('tasks.onAgenda', { title: found.meeting.title, at: formatDateTime(found.meeting.scheduledAt), place: found.meeting.place })
              : t('tasks.notOnAgenda')
        }
      />
      <div className="form-actions">
        {found ? (
          <Link to={`/tasks/meetings/${found.meeting.id}`}>
            <Button type="primary" block data-testid="go-to-meeting">
              {t('tasks.goToMeeting')}
            </Button>
          </Link>
        ) : (
          has(P.committeeManage) && (
            <Link to={`/finance/committees?tab=pending&committeeId=${committeeId}&taskId=${task.id}`}>
              <Button type="primary" block data-testid="schedule-meeting">
                {t('tasks.scheduleMeeting')}
              </Button>
            </Link>
          )
        )}
      </div>
    </Card>
  );
}

interface ActionValues {
  action: ActionKind;
  comment?: string;
  returnTo?: string;
  transferTo?: number;
}

/** 审批: approve, reject, return (to the applicant or a passed step) or transfer, with an opinion. */
function ActionPanel({ task, flow, applicantId }: { task: Task; flow: FlowInstance | null | undefined; applicantId: number | undefined }) {
  const { t } = useTranslation();
  const { me } = useAccess();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<ActionValues>();
  const action = Form.useWatch('action', form) ?? 'approve';
  const targets = flow ? returnTargets(flow) : [{ value: TO_APPLICANT }];
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
      void queryClient.invalidateQueries({ queryKey: ['credit-lines'] });
      navigate('/tasks');
    },
    onError: (e) => {
      if (e instanceof ApiError && (e.code === 'task_closed' || e.code === 'committee_decides'))
        void queryClient.invalidateQueries({ queryKey: ['tasks', 'one', task.id] });
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
            <PersonSelect exclude={[me?.id ?? 0, applicantId ?? 0]} />
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
