import { useEffect, useMemo, useRef } from 'react';
import { Alert, App, DatePicker, Form, Input, Modal, Radio } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import {
  financeKeys,
  registerRepayment,
  REPAYMENT_CHANNELS,
  useBusinessDate,
  type Loan,
  type RegisterRepayment,
  type Repayment,
  type RepaymentChannel,
} from '../../../api/finance';
import { useErrorHandler } from '../../../api/useErrorHandler';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { useIsMobile } from '../../../components/useIsMobile';
import { CHANNEL_ROOT, fundAccountsFor } from '../../../lib/finance';
import { SubmissionKeys } from '../../../lib/idempotency';
import { MONEY_PATTERN } from '../../customers/shared';
import { Amount, DAY, FundAccountSelect, useChart } from '../shared';
import { EarlyRepaymentQuote, REAMORTISATIONS, type Reamortisation } from './EarlyRepaymentQuote';

type Kind = NonNullable<RegisterRepayment['kind']>;
const KINDS: Kind[] = ['regular', 'payoff', 'prepayment'];

interface Values {
  kind: Kind;
  prepaidPrincipal?: string;
  reamortisation?: Reamortisation;
  amount: string;
  channel: RepaymentChannel;
  fundAccountCode: string;
  reference: string;
  valueDate: Dayjs;
}

/**
 * 还款登记: money received on an active loan, by bank transfer, in cash or through a payment
 * channel, booked to a fund account under that channel's root (1002, 1001, 1012). Finance
 * confirms it before it is applied. Early repayment (提前还款登记) is registered here too: a
 * payoff, or a partial prepayment on a due date (`prepaymentDates`) with the schedule it leaves.
 */
export function RepaymentDialog({
  loan,
  amountDue,
  prepaymentDates = [],
  onClose,
  onDone,
}: {
  loan: Pick<Loan, 'id' | 'loanNo' | 'customerName' | 'valueDate'>;
  amountDue?: string;
  /** Due dates a partial prepayment may be made on (every one but the last). */
  prepaymentDates?: string[];
  onClose: () => void;
  onDone?: (r: Repayment) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { has } = useAccess();
  const isMobile = useIsMobile();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<Values>();
  const keys = useRef(new SubmissionKeys()).current;
  const businessDate = useBusinessDate();
  const chart = useChart();
  const channel = Form.useWatch('channel', form);
  const kind = Form.useWatch('kind', form) ?? 'regular';
  const valueDate = Form.useWatch('valueDate', form);
  const prepaidPrincipal = Form.useWatch('prepaidPrincipal', form);
  const reamortisation = Form.useWatch('reamortisation', form);
  const accounts = useMemo(() => fundAccountsFor(channel, chart.data), [channel, chart.data]);
  const canList = has(P.ledgerRead);

  useEffect(() => {
    if (businessDate.data && !form.getFieldValue('valueDate')) form.setFieldValue('valueDate', dayjs(businessDate.data));
  }, [businessDate.data, form]);
  // A channel has its own accounts: keep the chosen one only if it belongs, else take the only one.
  useEffect(() => {
    if (!canList || !chart.data) return;
    const chosen = form.getFieldValue('fundAccountCode') as string | undefined;
    if (chosen && accounts.some((a) => a.code === chosen)) return;
    form.setFieldValue('fundAccountCode', accounts.length === 1 ? accounts[0].code : undefined);
  }, [accounts, canList, chart.data, form]);

  const register = useMutation({
    mutationFn: (v: Values) => {
      const body: RegisterRepayment = {
        loanId: loan.id,
        ...(v.kind !== 'regular' && { kind: v.kind }),
        ...(v.kind === 'prepayment' && { prepaidPrincipal: v.prepaidPrincipal?.trim(), reamortisation: v.reamortisation }),
        amount: v.amount.trim(),
        channel: v.channel,
        fundAccountCode: v.fundAccountCode.trim(),
        reference: v.reference.trim(),
        valueDate: v.valueDate.format(DAY),
      };
      return registerRepayment(body, keys.keyFor(body));
    },
    onSuccess: (r) => {
      keys.settle();
      message.success(t('money.repaymentRegistered'));
      void queryClient.invalidateQueries({ queryKey: financeKeys.all });
      onDone?.(r);
      onClose();
    },
    onError: (e) => onError(e, { form }),
  });

  const today = businessDate.data ? dayjs(businessDate.data) : undefined;
  return (
    <Modal
      open
      title={t('money.registerRepaymentTitle', { no: loan.loanNo })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('money.registerRepayment')}
      okButtonProps={{ 'data-testid': 'repayment-save' }}
      cancelText={t('common.cancel')}
      confirmLoading={register.isPending}
      width={isMobile ? '100%' : 560}
      destroyOnHidden
    >
      {amountDue && (
        <Alert
          className="check-note"
          type="info"
          showIcon
          title={
            <span>
              {t('money.amountDueNow')} <Amount value={amountDue} strong /> {t('common.yuan')}
            </span>
          }
        />
      )}
      <Form<Values>
        name="repayment"
        form={form}
        layout="vertical"
        initialValues={{ channel: 'bank_transfer', kind: 'regular', reamortisation: 'keep_term' }}
        onFinish={(v) => register.mutate(v)}
      >
        <Form.Item name="kind" label={t('money.repaymentKind')}>
          <Radio.Group optionType="button" buttonStyle="solid">
            {KINDS.map((k) => (
              <Radio.Button key={k} value={k} data-testid={`repayment-kind-${k}`}>
                {t(`money.kinds.${k}`)}
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
        {kind === 'prepayment' && (
          <>
            <Form.Item
              name="prepaidPrincipal"
              label={t('money.prepaidPrincipal')}
              rules={[
                { required: true, message: t('validation.required') },
                { pattern: MONEY_PATTERN, message: t('validation.money') },
              ]}
            >
              <Input inputMode="decimal" suffix={t('common.yuan')} autoComplete="off" />
            </Form.Item>
            <Form.Item name="reamortisation" label={t('money.reamortisation')} rules={[{ required: true, message: t('validation.requiredSelect') }]}>
              <Radio.Group>
                {REAMORTISATIONS.map((m) => (
                  <Radio key={m} value={m} data-testid={`repayment-reamortisation-${m}`}>
                    {t(`money.reamortisations.${m}`)}
                  </Radio>
                ))}
              </Radio.Group>
            </Form.Item>
          </>
        )}
        {kind !== 'regular' && valueDate && (
          <EarlyRepaymentQuote
            loanId={loan.id}
            quote={
              kind === 'payoff'
                ? { kind, date: valueDate.format(DAY) }
                : { kind: 'prepayment', date: valueDate.format(DAY), principal: prepaidPrincipal, mode: reamortisation }
            }
            onUseAmount={(a) => form.setFieldValue('amount', a)}
          />
        )}
        <Form.Item
          name="amount"
          label={t('money.amountReceived')}
          rules={[
            { required: true, message: t('validation.required') },
            { pattern: MONEY_PATTERN, message: t('validation.money') },
          ]}
        >
          <Input inputMode="decimal" suffix={t('common.yuan')} autoComplete="off" />
        </Form.Item>
        <Form.Item name="channel" label={t('money.channel')} rules={[{ required: true, message: t('validation.requiredSelect') }]}>
          <Radio.Group optionType="button" buttonStyle="solid">
            {REPAYMENT_CHANNELS.map((c) => (
              <Radio.Button key={c} value={c} data-testid={`repayment-channel-${c}`}>
                {t(`money.channels.${c}`)}
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
        <Form.Item
          name="fundAccountCode"
          label={t('money.receivingAccount')}
          extra={channel ? t('money.channelAccounts', { root: CHANNEL_ROOT[channel] }) : undefined}
          rules={[{ required: true, message: t('validation.requiredSelect') }]}
        >
          {canList ? (
            <FundAccountSelect accounts={accounts} loading={chart.isLoading} />
          ) : (
            <Input className="mono" placeholder={channel ? `${CHANNEL_ROOT[channel]}…` : undefined} />
          )}
        </Form.Item>
        <Form.Item
          name="reference"
          label={t('money.repaymentReference')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input maxLength={100} className="mono" autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="valueDate"
          label={t('money.arrivedOn')}
          extra={kind === 'prepayment' ? t('money.prepaymentDateHelp') : t('money.arrivedOnHelp')}
          rules={[{ required: true, message: t('validation.requiredSelect') }]}
        >
          <DatePicker
            style={{ width: '100%' }}
            disabledDate={(d) =>
              (today ? d.isAfter(today, 'day') : false) ||
              d.isBefore(dayjs(loan.valueDate), 'day') ||
              (kind === 'prepayment' && !prepaymentDates.includes(d.format(DAY)))
            }
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
