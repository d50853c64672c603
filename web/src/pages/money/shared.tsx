import { useState } from 'react';
import { App, Button, DatePicker, Form, Input, Modal, Select, Tag, Tooltip } from 'antd';
import type { SelectProps } from 'antd';
import { CalendarOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import {
  financeKeys,
  useAccounts,
  useBusinessDate,
  type Account,
  type DisbursementStatus,
  type Repayment,
  type RepaymentStatus,
} from '../../api/finance';
import { useErrorHandler } from '../../api/useErrorHandler';
import { P } from '../../access/permissions';
import { useAccess } from '../../auth/hooks';
import { useIsMobile } from '../../components/useIsMobile';
import { accountLabel, isCreditApplication, repaymentAmount, STATUS_COLORS } from '../../lib/finance';
import { formatMoney } from '../../lib/money';

export const DAY = 'YYYY-MM-DD';

/** An amount as finance reads it: grouped, two places, tabular digits. */
export function Amount({ value, strong, testId }: { value: string | null | undefined; strong?: boolean; testId?: string }) {
  const text = formatMoney(value);
  return (
    <span className={`num ${strong ? 'amount-strong' : ''}`} data-testid={testId}>
      {text}
    </span>
  );
}

/**
 * A repayment's amount in a list: the money received, or — for credit the daily close applied
 * by itself (溢缴款冲抵), which brings no money — the credit applied, marked as such.
 */
export function RepaymentAmount({ repayment }: { repayment: Pick<Repayment, 'id' | 'kind' | 'amount' | 'allocation'> }) {
  const { t } = useTranslation();
  if (!isCreditApplication(repayment)) return <Amount value={repayment.amount} />;
  return (
    <span data-testid={`repayment-from-credit-${repayment.id}`}>
      <Tag color="purple">{t('money.fromCredit')}</Tag>
      <Amount value={repaymentAmount(repayment)} />
    </span>
  );
}

/** Who registered a repayment; the daily close for one it made itself. */
export function useMakerName() {
  const { t } = useTranslation();
  return (r: Pick<Repayment, 'registeredByName'>) => r.registeredByName ?? t('money.byTheClose');
}

export function DisbursementStatusTag({ status }: { status: DisbursementStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLORS[status]} data-testid="disbursement-status">
      {t(`money.disbursementStatuses.${status}`)}
    </Tag>
  );
}

export function RepaymentStatusTag({ status }: { status: RepaymentStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLORS[status]} data-testid="repayment-status">
      {t(`money.repaymentStatuses.${status}`)}
    </Tag>
  );
}

/** A voucher number that opens the voucher for those who may read the books. */
export function VoucherLink({ id, label }: { id: number | null | undefined; label?: string }) {
  const { t } = useTranslation();
  const { has } = useAccess();
  if (!id) return <span className="muted">{t('money.noVoucher')}</span>;
  const text = label ?? t('money.viewVoucher');
  return has(P.ledgerRead) ? (
    <Link to={`/money/vouchers/${id}`} data-testid="voucher-link">
      {text}
    </Link>
  ) : (
    <span>#{id}</span>
  );
}

type FundSelectProps = Omit<SelectProps<string>, 'options'> & { accounts: Account[] };

/** Picks a fund account (cash, bank) by code and name. */
export function FundAccountSelect({ accounts, ...rest }: FundSelectProps) {
  const { t } = useTranslation();
  return (
    <Select<string>
      showSearch={{ optionFilterProp: 'label' }}
      placeholder={t('common.pleaseSelect')}
      options={accounts.map((a) => ({ value: a.code, label: accountLabel(a) }))}
      notFoundContent={t('money.noFundAccounts')}
      {...rest}
    />
  );
}

/** The chart for pickers; only for those who may read the books. */
export function useChart() {
  const { has } = useAccess();
  return useAccounts(has(P.ledgerRead));
}

interface AdvanceValues {
  to: Dayjs;
  reason: string;
}

/**
 * 营业日期: the day loans live on (the daily close moves it). An administrator may move it
 * forward by hand, with a reason that goes to the audit log.
 */
export function BusinessDateTag({ compact }: { compact?: boolean }) {
  const { t } = useTranslation();
  const { has } = useAccess();
  const date = useBusinessDate();
  const [open, setOpen] = useState(false);
  if (!date.data) return null;
  const canAdvance = has(P.businessDateAdvance);
  const tag = (
    <Tag icon={<CalendarOutlined />} color="blue" className="business-date" data-testid="business-date">
      {compact ? date.data : t('money.businessDateIs', { date: date.data })}
    </Tag>
  );
  return (
    <>
      <Tooltip title={t('money.businessDateHelp')}>{tag}</Tooltip>
      {canAdvance && (
        <Button size="small" type="link" onClick={() => setOpen(true)} data-testid="business-date-advance">
          {t('money.advance')}
        </Button>
      )}
      {open && <AdvanceDialog current={date.data} onClose={() => setOpen(false)} />}
    </>
  );
}

function AdvanceDialog({ current, onClose }: { current: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<AdvanceValues>();
  const advance = useMutation({
    mutationFn: (v: AdvanceValues) => unwrap(api.POST('/api/v1/business-date/advance', { body: { to: v.to.format(DAY), reason: v.reason.trim() } })),
    onSuccess: (d) => {
      message.success(t('money.advanced', { date: d.today }));
      queryClient.setQueryData(financeKeys.businessDate, d.today);
      void queryClient.invalidateQueries({ queryKey: financeKeys.all });
      onClose();
    },
    onError: (e) => onError(e, { form }),
  });
  return (
    <Modal
      open
      title={t('money.advanceTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('money.advance')}
      cancelText={t('common.cancel')}
      confirmLoading={advance.isPending}
      destroyOnHidden
    >
      <p className="muted">{t('money.advanceHelp', { date: current })}</p>
      <Form<AdvanceValues>
        name="advanceDate"
        form={form}
        layout="vertical"
        initialValues={{ to: dayjs(current).add(1, 'day') }}
        onFinish={(v) => advance.mutate(v)}
      >
        <Form.Item name="to" label={t('money.advanceTo')} rules={[{ required: true, message: t('validation.requiredSelect') }]}>
          {/* Later than the business date, not past the calendar date (the server has the last word near midnight). */}
          <DatePicker style={{ width: '100%' }} disabledDate={(d) => !d.isAfter(dayjs(current), 'day') || d.isAfter(dayjs(), 'day')} />
        </Form.Item>
        <Form.Item name="reason" label={t('money.advanceReason')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The business date on a finance page, for phones: on a wider screen the header shows it. */
export function PageBusinessDate() {
  const isMobile = useIsMobile();
  return isMobile ? <BusinessDateTag compact /> : null;
}
