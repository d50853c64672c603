import { useState } from 'react';
import { App, Button, Empty, Form, Input, Modal, Popconfirm, Space, Spin } from 'antd';
import { AuditOutlined, EditOutlined, LockOutlined, RollbackOutlined, SendOutlined, StopOutlined, UnlockOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { translateError } from '../../../api/errors';
import { creditLineKey, useCreditLine, type CreditLine } from '../../../api/credit';
import { useErrorHandler } from '../../../api/useErrorHandler';
import { useMyOpenTask } from '../../../api/workflow';
import { useAccess } from '../../../auth/hooks';
import { PageContainer } from '../../../components/PageContainer';
import { creditLineActions, type CreditLineAction } from '../../../lib/creditLine';
import { CreditLineBody, CreditLineStatusTag } from './CreditLineSections';

/** 授信详情: the line, its uses, its flow and history, and what the user may do next. */
export default function CreditLineDetailPage() {
  const { t, i18n } = useTranslation();
  const { id: idParam } = useParams();
  const id = Number(idParam);
  const { me, granted } = useAccess();
  const detail = useCreditLine(id);
  const myTask = useMyOpenTask('credit_line', id, detail.data?.line.status === 'in_review');
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
  const l = d.line;
  const actions = creditLineActions(l, { userId: me?.id ?? 0, granted });
  return (
    <PageContainer
      title={l.lineNo}
      subtitle={`${t('creditLines.title')} · ${l.customerName}`}
      extra={
        <Space wrap>
          <CreditLineStatusTag status={l.status} />
          {myTask.data && (
            <Link to={`/tasks/${myTask.data.id}`}>
              <Button type="primary" icon={<AuditOutlined />}>
                {t('applications.goToTask')}
              </Button>
            </Link>
          )}
          <ActionBar line={l} actions={actions} onReload={() => void detail.refetch()} />
        </Space>
      }
    >
      <CreditLineBody detail={d} />
    </PageContainer>
  );
}

function ActionBar({ line: l, actions, onReload }: { line: CreditLine; actions: CreditLineAction[]; onReload: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [reasonFor, setReasonFor] = useState<'freeze' | 'unfreeze' | 'withdraw' | null>(null);
  const done = (text: string) => {
    message.success(text);
    void queryClient.invalidateQueries({ queryKey: ['credit-lines'] });
    void queryClient.invalidateQueries({ queryKey: ['tasks'] });
  };
  const path = { params: { path: { id: l.id } }, body: { version: l.version } };
  const submit = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/credit-lines/{id}/submit', path)),
    onSuccess: () => done(t('creditLines.submitted')),
    onError: (e) => onError(e, { onReload }),
  });
  const resubmit = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/credit-lines/{id}/resubmit', path)),
    onSuccess: () => done(t('creditLines.resubmitted')),
    onError: (e) => onError(e, { onReload }),
  });
  const confirm = (key: string, title: string, description: string, run: () => void, loading: boolean, icon: React.ReactNode) => (
    <Popconfirm key={key} title={title} description={description} onConfirm={run} okText={t('common.ok')} cancelText={t('common.cancel')}>
      <Button type="primary" icon={icon} loading={loading} data-testid={`credit-line-${key}`}>
        {title}
      </Button>
    </Popconfirm>
  );
  const buttons = actions.map((a) => {
    switch (a) {
      case 'edit':
        return (
          <Button key="edit" icon={<EditOutlined />} onClick={() => navigate(`/business/credit-lines/${l.id}/edit`)} data-testid="credit-line-edit">
            {t('common.edit')}
          </Button>
        );
      case 'submit':
        return confirm('submit', t('creditLines.submit'), t('creditLines.submitConfirm'), () => submit.mutate(), submit.isPending, <SendOutlined />);
      case 'resubmit':
        return confirm('resubmit', t('creditLines.resubmit'), t('creditLines.resubmitConfirm'), () => resubmit.mutate(), resubmit.isPending, <RollbackOutlined />);
      case 'freeze':
        return (
          <Button key="freeze" icon={<LockOutlined />} onClick={() => setReasonFor('freeze')} data-testid="credit-line-freeze">
            {t('creditLines.freeze')}
          </Button>
        );
      case 'unfreeze':
        return (
          <Button key="unfreeze" type="primary" icon={<UnlockOutlined />} onClick={() => setReasonFor('unfreeze')} data-testid="credit-line-unfreeze">
            {t('creditLines.unfreeze')}
          </Button>
        );
      case 'withdraw':
        return (
          <Button key="withdraw" danger icon={<StopOutlined />} onClick={() => setReasonFor('withdraw')} data-testid="credit-line-withdraw">
            {t('creditLines.withdraw')}
          </Button>
        );
      default:
        return null;
    }
  });
  return (
    <>
      {buttons}
      {reasonFor && (
        <ReasonDialog
          line={l}
          kind={reasonFor}
          onClose={() => setReasonFor(null)}
          onDone={() => {
            done(t(`creditLines.done.${reasonFor}`));
            setReasonFor(null);
          }}
          onReload={onReload}
        />
      )}
    </>
  );
}

/** 冻结 / 解冻 (a reason is required) and 撤回 (a comment is optional). */
function ReasonDialog({
  line: l,
  kind,
  onClose,
  onDone,
  onReload,
}: {
  line: CreditLine;
  kind: 'freeze' | 'unfreeze' | 'withdraw';
  onClose: () => void;
  onDone: () => void;
  onReload: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<{ reason?: string }>();
  const run = useMutation({
    mutationFn: (v: { reason?: string }) => {
      const params = { path: { id: l.id } };
      const reason = v.reason?.trim() ?? '';
      if (kind === 'withdraw') return unwrap(api.POST('/api/v1/credit-lines/{id}/withdraw', { params, body: { version: l.version, comment: reason || null } }));
      if (kind === 'freeze') return unwrap(api.POST('/api/v1/credit-lines/{id}/freeze', { params, body: { version: l.version, reason } }));
      return unwrap(api.POST('/api/v1/credit-lines/{id}/unfreeze', { params, body: { version: l.version, reason } }));
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: creditLineKey(l.id) });
      onDone();
    },
    // The withdrawal's comment is the form's reason field.
    onError: (e) => onError(e, { form, aliases: { comment: 'reason' }, onReload: () => { onClose(); onReload(); } }),
  });
  const required = kind !== 'withdraw';
  return (
    <Modal
      open
      title={t(`creditLines.reasonTitles.${kind}`, { no: l.lineNo })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t(`creditLines.${kind}`)}
      okButtonProps={{ danger: kind !== 'unfreeze' }}
      cancelText={t('common.cancel')}
      confirmLoading={run.isPending}
      destroyOnHidden
    >
      <Form name="creditLineReason" form={form} layout="vertical" onFinish={(v) => run.mutate(v)}>
        <Form.Item
          name="reason"
          label={t(kind === 'withdraw' ? 'applications.withdrawReason' : `creditLines.reasonLabels.${kind}`)}
          rules={required ? [{ required: true, whitespace: true, message: t('validation.required') }] : []}
        >
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
