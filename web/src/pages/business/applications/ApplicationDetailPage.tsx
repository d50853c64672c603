import { useState } from 'react';
import { App, Button, Empty, Form, Input, Modal, Popconfirm, Radio, Space, Spin } from 'antd';
import { AuditOutlined, EditOutlined, RollbackOutlined, SendOutlined, StopOutlined, UserSwitchOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { translateError } from '../../../api/errors';
import { useApplication, type LoanApplication } from '../../../api/origination';
import { useErrorHandler } from '../../../api/useErrorHandler';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { PageContainer } from '../../../components/PageContainer';
import { allowedActions } from '../../../lib/application';
import { ApplicationBody } from './ApplicationSections';
import { InvestigationCard } from './InvestigationCard';
import { PersonSelect } from '../../../components/PersonSelect';
import { ApplicationStatusTag } from './shared';
import { ContractsCard } from '../contracts/ContractsCard';

/** My open task on this application, if the flow is waiting for me. */
function useMyOpenTask(applicationId: number, enabled: boolean) {
  return useQuery({
    queryKey: ['tasks', 'open-for', applicationId],
    queryFn: async () => {
      const page = await unwrap(
        api.GET('/api/v1/tasks', { params: { query: { state: 'open', businessType: 'loan_application', page: 1, pageSize: 200 } } }),
      );
      return page.items.find((task) => task.businessId === applicationId) ?? null;
    },
    enabled,
  });
}

/** 贷款申请详情: the facts, the checks, the investigation, the flow, and what the user may do next. */
export default function ApplicationDetailPage() {
  const { t, i18n } = useTranslation();
  const { id: idParam } = useParams();
  const id = Number(idParam);
  const { me, granted } = useAccess();
  const detail = useApplication(id);
  const myTask = useMyOpenTask(id, detail.data?.application.status === 'in_review');

  if (detail.isPending)
    return (
      <PageContainer title={t('common.details')}>
        <Spin />
      </PageContainer>
    );
  if (detail.isError || !detail.data)
    return (
      <PageContainer title={t('common.details')}>
        <Empty description={translateError(detail.error, t, i18n)} />
      </PageContainer>
    );
  const d = detail.data;
  const a = d.application;
  const actions = allowedActions(a, { userId: me?.id ?? 0, granted });

  return (
    <PageContainer
      title={a.applicationNo}
      subtitle={`${a.customerName} · ${a.productName}`}
      extra={
        <Space wrap>
          <ApplicationStatusTag status={a.status} />
          {myTask.data && (
            <Link to={`/tasks/${myTask.data.id}`}>
              <Button type="primary" icon={<AuditOutlined />} data-testid="go-to-task">
                {t('applications.goToTask')}
              </Button>
            </Link>
          )}
          <ActionBar application={a} actions={actions} hasInvestigation={!!d.investigation} onReload={() => void detail.refetch()} />
        </Space>
      }
    >
      <ApplicationBody
        detail={d}
        contracts={(a.status === 'approved' && granted.has(P.contractRead)) && <ContractsCard application={a} />}
        investigation={
          (!!d.investigation || d.files.length > 0 || actions.includes('investigate') || a.investigatorId != null) && (
            <InvestigationCard applicationId={a.id} investigation={d.investigation} files={d.files} canInvestigate={actions.includes('investigate')} />
          )
        }
      />
    </PageContainer>
  );
}

function ActionBar({
  application: a,
  actions,
  hasInvestigation,
  onReload,
}: {
  application: LoanApplication;
  actions: ReturnType<typeof allowedActions>;
  hasInvestigation: boolean;
  onReload: () => void;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [assigning, setAssigning] = useState(false);
  const [withdrawing, setWithdrawing] = useState(false);

  const done = (text: string) => {
    message.success(text);
    void queryClient.invalidateQueries({ queryKey: ['loan-applications'] });
    void queryClient.invalidateQueries({ queryKey: ['tasks'] });
  };
  const body = { version: a.version };
  const path = { params: { path: { id: a.id } }, body };
  const submit = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/loan-applications/{id}/submit', path)),
    onSuccess: (saved) => {
      if (saved.status === 'rejected') message.warning(t('applications.declinedByScreening'));
      done(t('applications.submitted'));
    },
    onError: (e) => onError(e, { onReload }),
  });
  const send = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/loan-applications/{id}/send-to-review', path)),
    onSuccess: () => done(t('applications.sentToReview')),
    onError: (e) => onError(e, { onReload }),
  });
  const resubmit = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/loan-applications/{id}/resubmit', path)),
    onSuccess: () => done(t('applications.resubmitted')),
    onError: (e) => onError(e, { onReload }),
  });

  const confirm = (key: string, title: string, description: string, run: () => void, loading: boolean, icon: React.ReactNode, primary = true) => (
    <Popconfirm key={key} title={title} description={description} onConfirm={run} okText={t('common.ok')} cancelText={t('common.cancel')}>
      <Button type={primary ? 'primary' : 'default'} icon={icon} loading={loading} data-testid={`application-${key}`}>
        {title}
      </Button>
    </Popconfirm>
  );

  const buttons = actions.map((action) => {
    switch (action) {
      case 'edit':
        return (
          <Button key="edit" icon={<EditOutlined />} onClick={() => navigate(`/business/loan-applications/${a.id}/edit`)} data-testid="application-edit">
            {t('common.edit')}
          </Button>
        );
      case 'submit':
        return confirm('submit', t('applications.submit'), t('applications.submitConfirm'), () => submit.mutate(), submit.isPending, <SendOutlined />);
      case 'assign':
        return (
          <Button key="assign" type="primary" icon={<UserSwitchOutlined />} onClick={() => setAssigning(true)} data-testid="application-assign">
            {t(a.status === 'investigating' ? 'applications.reassign' : 'applications.assign')}
          </Button>
        );
      case 'sendToReview':
        return confirm(
          'send',
          t('applications.sendToReview'),
          hasInvestigation ? t('applications.sendConfirm') : t('applications.sendNeedsInvestigation'),
          () => send.mutate(),
          send.isPending,
          <SendOutlined />,
        );
      case 'resubmit':
        return confirm('resubmit', t('applications.resubmit'), t('applications.resubmitConfirm'), () => resubmit.mutate(), resubmit.isPending, <RollbackOutlined />);
      case 'withdraw':
        return (
          <Button key="withdraw" danger icon={<StopOutlined />} onClick={() => setWithdrawing(true)} data-testid="application-withdraw">
            {t('applications.withdraw')}
          </Button>
        );
      default:
        return null;
    }
  });

  return (
    <>
      {buttons}
      {assigning && <AssignDialog application={a} onClose={() => setAssigning(false)} onDone={() => { setAssigning(false); done(t('applications.assigned')); }} onReload={onReload} />}
      {withdrawing && <WithdrawDialog application={a} onClose={() => setWithdrawing(false)} onDone={() => { setWithdrawing(false); done(t('applications.withdrawn')); }} onReload={onReload} />}
    </>
  );
}

interface AssignValues {
  mode: 'pick' | 'roundRobin';
  userId?: number;
}

/** 分单: to a named investigator, or the next one in the department's round robin (轮询). */
function AssignDialog({ application: a, onClose, onDone, onReload }: { application: LoanApplication; onClose: () => void; onDone: () => void; onReload: () => void }) {
  const { t } = useTranslation();
  const onError = useErrorHandler();
  const [form] = Form.useForm<AssignValues>();
  const mode = Form.useWatch('mode', form);
  const assign = useMutation({
    mutationFn: (v: AssignValues) =>
      unwrap(
        api.POST('/api/v1/loan-applications/{id}/assign', {
          params: { path: { id: a.id } },
          body: { version: a.version, userId: v.mode === 'pick' ? v.userId : null },
        }),
      ),
    onSuccess: onDone,
    onError: (e) => onError(e, { form, onReload: () => { onClose(); onReload(); } }),
  });
  return (
    <Modal
      open
      title={t(a.status === 'investigating' ? 'applications.reassign' : 'applications.assign')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.ok')}
      cancelText={t('common.cancel')}
      confirmLoading={assign.isPending}
      destroyOnHidden
    >
      <Form<AssignValues> name="assign" form={form} layout="vertical" initialValues={{ mode: 'pick' }} onFinish={(v) => assign.mutate(v)}>
        <Form.Item name="mode" label={t('applications.assignMode')}>
          <Radio.Group>
            <Radio value="pick">{t('applications.assignPick')}</Radio>
            <Radio value="roundRobin">{t('applications.assignRoundRobin')}</Radio>
          </Radio.Group>
        </Form.Item>
        {mode === 'pick' ? (
          <Form.Item name="userId" label={t('applications.investigator')} rules={[{ required: true, message: t('validation.requiredSelect') }]}>
            <PersonSelect permission={P.loanInvestigate} exclude={a.investigatorId ? [a.investigatorId] : []} />
          </Form.Item>
        ) : (
          <p className="muted">{t('applications.roundRobinHelp')}</p>
        )}
        {a.investigatorName && <p className="muted">{t('applications.currentInvestigator', { name: a.investigatorName })}</p>}
      </Form>
    </Modal>
  );
}

function WithdrawDialog({ application: a, onClose, onDone, onReload }: { application: LoanApplication; onClose: () => void; onDone: () => void; onReload: () => void }) {
  const { t } = useTranslation();
  const onError = useErrorHandler();
  const [form] = Form.useForm<{ comment?: string }>();
  const withdraw = useMutation({
    mutationFn: (v: { comment?: string }) =>
      unwrap(
        api.POST('/api/v1/loan-applications/{id}/withdraw', {
          params: { path: { id: a.id } },
          body: { version: a.version, comment: v.comment?.trim() || null },
        }),
      ),
    onSuccess: onDone,
    onError: (e) => onError(e, { form, onReload: () => { onClose(); onReload(); } }),
  });
  return (
    <Modal
      open
      title={t('applications.withdrawTitle', { no: a.applicationNo })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('applications.withdraw')}
      okButtonProps={{ danger: true }}
      cancelText={t('common.cancel')}
      confirmLoading={withdraw.isPending}
      destroyOnHidden
    >
      <Form name="withdraw" form={form} layout="vertical" onFinish={(v) => withdraw.mutate(v)}>
        <Form.Item name="comment" label={t('applications.withdrawReason')}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
