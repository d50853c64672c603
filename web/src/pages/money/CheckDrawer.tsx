import { useRef } from 'react';
import { Alert, App, Button, Descriptions, Drawer, Form, Input, Radio, Space } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import {
  confirmRepayment,
  financeKeys,
  reviewDisbursement,
  useLoan,
  type CheckDecision,
  type CheckInput,
  type Disbursement,
  type Repayment,
} from '../../api/finance';
import { useErrorHandler } from '../../api/useErrorHandler';
import { useAccess } from '../../auth/hooks';
import { useIsMobile } from '../../components/useIsMobile';
import { CHECK_PERMISSION, checkerState } from '../../lib/finance';
import { formatDateTime } from '../../lib/format';
import { SubmissionKeys } from '../../lib/idempotency';
import { Amount } from './shared';

export type CheckTarget = { kind: 'disbursement'; item: Disbursement } | { kind: 'repayment'; item: Repayment };

interface Values {
  decision: CheckDecision;
  comment?: string;
}

/** The figures of a disbursement as its reviewer checks them against the bank's advice. */
export function DisbursementFigures({ d }: { d: Disbursement }) {
  const { t } = useTranslation();
  return (
    <Descriptions bordered size="small" column={1} className="detail-desc" data-testid="check-figures">
      <Descriptions.Item label={t('money.amount')}>
        <Amount value={d.amount} strong testId="check-amount" /> {t('common.yuan')}
      </Descriptions.Item>
      <Descriptions.Item label={t('money.contractNo')}>
        <span className="mono">{d.contractNo}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('money.customer')}>{d.customerName}</Descriptions.Item>
      <Descriptions.Item label={t('money.valueDate')}>{d.valueDate}</Descriptions.Item>
      <Descriptions.Item label={t('money.customerAccount')}>{d.customerAccount}</Descriptions.Item>
      <Descriptions.Item label={t('money.payingAccount')}>
        {d.fundAccountCode} {d.fundAccountName}
      </Descriptions.Item>
      <Descriptions.Item label={t('money.reference')}>
        <span className="mono">{d.reference}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('money.maker')}>
        {d.registeredByName} · {formatDateTime(d.registeredAt)}
      </Descriptions.Item>
    </Descriptions>
  );
}

/** The figures of a repayment, with what the loan owes on the business date. */
export function RepaymentFigures({ r, withLoan }: { r: Repayment; withLoan?: boolean }) {
  const { t } = useTranslation();
  const loan = useLoan(r.loanId, !!withLoan);
  const l = loan.data;
  return (
    <Descriptions bordered size="small" column={1} className="detail-desc" data-testid="check-figures">
      <Descriptions.Item label={t('money.amount')}>
        <Amount value={r.amount} strong testId="check-amount" /> {t('common.yuan')}
      </Descriptions.Item>
      <Descriptions.Item label={t('money.loanNo')}>
        <span className="mono">{r.loanNo}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('money.customer')}>{r.customerName}</Descriptions.Item>
      <Descriptions.Item label={t('money.channel')}>{t(`money.channels.${r.channel}`)}</Descriptions.Item>
      <Descriptions.Item label={t('money.receivingAccount')}>
        {r.fundAccountCode} {r.fundAccountName}
      </Descriptions.Item>
      <Descriptions.Item label={t('money.reference')}>
        <span className="mono">{r.reference}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('money.arrivedOn')}>{r.valueDate}</Descriptions.Item>
      <Descriptions.Item label={t('money.maker')}>
        {r.registeredByName} · {formatDateTime(r.registeredAt)}
      </Descriptions.Item>
      {l && (
        <>
          <Descriptions.Item label={t('money.amountDueOn', { date: l.asOf })}>
            <Amount value={l.amountDue} />
          </Descriptions.Item>
          <Descriptions.Item label={t('money.outstandingPrincipal')}>
            <Amount value={l.loan.outstandingPrincipal} />
          </Descriptions.Item>
          <Descriptions.Item label={t('money.creditBalance')}>
            <Amount value={l.balances.creditBalance} />
          </Descriptions.Item>
        </>
      )}
    </Descriptions>
  );
}

/**
 * 放款复核 / 还款确认: the figures, then approve or reject (a rejection says why). One's own
 * registration is shown but cannot be checked: a second person does that (maker-checker).
 */
export function CheckDrawer({ target, onClose, onDone }: { target: CheckTarget; onClose: () => void; onDone?: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { me, has } = useAccess();
  const isMobile = useIsMobile();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<Values>();
  const decision = Form.useWatch('decision', form);
  // One key per submission, kept while the same decision is sent again.
  const keys = useRef(new SubmissionKeys()).current;
  const { kind, item } = target;
  const state = checkerState(item, me?.id, has(CHECK_PERMISSION[kind]));

  const check = useMutation({
    mutationFn: (v: Values): Promise<Disbursement | Repayment> => {
      const body: CheckInput = { decision: v.decision, comment: v.comment?.trim() || null, version: item.version };
      const key = keys.keyFor({ kind, id: item.id, body });
      return kind === 'disbursement' ? reviewDisbursement(item.id, body, key) : confirmRepayment(item.id, body, key);
    },
    onSuccess: (_, v) => {
      keys.settle();
      message.success(t(`money.checked.${kind}.${v.decision}`));
      void queryClient.invalidateQueries({ queryKey: financeKeys.all });
      onDone?.();
      onClose();
    },
    onError: (e) =>
      onError(e, {
        form,
        onReload: () => {
          void queryClient.invalidateQueries({ queryKey: financeKeys.all });
          onClose();
        },
      }),
  });

  const title = t(kind === 'disbursement' ? 'money.reviewTitle' : 'money.confirmTitle', {
    no: kind === 'disbursement' ? target.item.contractNo : target.item.loanNo,
  });
  return (
    <Drawer
      open
      size={isMobile ? '100%' : 560}
      title={title}
      onClose={onClose}
      destroyOnHidden
      data-testid="check-drawer"
      extra={
        state === 'check' && (
          <Space>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button
              type="primary"
              danger={decision === 'reject'}
              loading={check.isPending}
              onClick={() => form.submit()}
              data-testid="check-submit"
            >
              {t(decision === 'reject' ? 'money.submitReject' : kind === 'disbursement' ? 'money.submitApproveDisbursement' : 'money.submitApproveRepayment')}
            </Button>
          </Space>
        )
      }
    >
      {target.kind === 'disbursement' ? <DisbursementFigures d={target.item} /> : <RepaymentFigures r={target.item} withLoan />}
      {state === 'own' && <Alert className="check-note" type="warning" showIcon title={t('money.ownRegistration')} data-testid="check-own" />}
      {state === 'not_permitted' && <Alert className="check-note" type="info" showIcon title={t(`money.notChecker.${kind}`)} />}
      {state === 'check' && (
        <Form<Values> name="check" form={form} layout="vertical" className="check-form" initialValues={{ decision: 'approve' }} onFinish={(v) => check.mutate(v)}>
          <Form.Item name="decision" label={t('money.decision')}>
            <Radio.Group optionType="button" buttonStyle="solid">
              <Radio.Button value="approve" data-testid="check-approve">
                {t(kind === 'disbursement' ? 'money.approveDisbursement' : 'money.approveRepayment')}
              </Radio.Button>
              <Radio.Button value="reject" data-testid="check-reject">
                {t('money.reject')}
              </Radio.Button>
            </Radio.Group>
          </Form.Item>
          <Form.Item
            name="comment"
            label={t('money.comment')}
            dependencies={['decision']}
            required={decision === 'reject'}
            rules={[
              ({ getFieldValue }) => ({
                validator: async (_, v?: string) => {
                  if (getFieldValue('decision') === 'reject' && !v?.trim()) throw new Error(t('money.rejectNeedsComment'));
                },
              }),
            ]}
          >
            <Input.TextArea rows={3} maxLength={500} showCount placeholder={t(decision === 'reject' ? 'money.rejectHint' : 'money.commentHint')} />
          </Form.Item>
          {decision !== 'reject' && (
            <Alert type="info" showIcon title={t(kind === 'disbursement' ? 'money.approveDisbursementHelp' : 'money.approveRepaymentHelp')} />
          )}
        </Form>
      )}
    </Drawer>
  );
}
