import { Alert, Button, Empty, Space, Spin } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { translateError } from '../../../api/errors';
import { useVoucher, type Voucher } from '../../../api/finance';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { PageContainer } from '../../../components/PageContainer';
import { amountInWords, isZeroAmount } from '../../../lib/amounts';
import { voucherTotals } from '../../../lib/finance';
import { formatDateTime } from '../../../lib/format';
import { formatMoney } from '../../../lib/money';
import { VoucherStatusTag } from './VouchersPage';

/** A blank cell for a zero amount, as a voucher is written by hand. */
const cell = (v: string) => (isZeroAmount(v) ? '' : formatMoney(v));

/**
 * 记账凭证: the voucher as the accountant files it — number and date, 摘要, each line's account
 * with its debit or credit, the totals (in figures and in capitals), and who prepared and
 * reviewed it. Prints on its own.
 */
export function VoucherSheet({ voucher: v }: { voucher: Voucher }) {
  const { t } = useTranslation();
  const totals = voucherTotals(v.lines);
  const words = amountInWords(totals.debit);
  return (
    <div className="voucher-paper" data-testid="voucher-sheet">
      <h2 className="voucher-title">{t('money.voucherSheetTitle')}</h2>
      <div className="voucher-meta">
        <span>
          {t('money.voucherDate')}：<strong data-testid="voucher-date">{v.voucherDate}</strong>
        </span>
        <span>
          {t('money.voucherNo')}：<strong className="mono" data-testid="voucher-no">{v.voucherNo}</strong>
        </span>
      </div>
      <div className="voucher-meta voucher-summary">
        {t('money.summary')}：<span data-testid="voucher-summary">{v.summary}</span>
      </div>
      <div className="voucher-table-wrap">
        <table className="voucher-table" data-testid="voucher-lines">
          <thead>
            <tr>
              <th className="voucher-col-memo">{t('money.summary')}</th>
              <th className="voucher-col-account">{t('money.account')}</th>
              <th className="voucher-col-amount">{t('money.debitAmount')}</th>
              <th className="voucher-col-amount">{t('money.creditAmount')}</th>
            </tr>
          </thead>
          <tbody>
            {v.lines.map((l) => (
              <tr key={l.lineNo} data-testid={`voucher-line-${l.accountCode}`}>
                <td>{l.memo || v.summary}</td>
                <td>
                  <span className="mono">{l.accountCode}</span> {l.accountName}
                </td>
                <td className="num voucher-amount" data-testid="line-debit">
                  {cell(l.debit)}
                </td>
                <td className="num voucher-amount" data-testid="line-credit">
                  {cell(l.credit)}
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr className="voucher-total">
              <td colSpan={2}>
                {t('money.totalLabel')}
                {words && <span className="voucher-words" data-testid="voucher-words">（{t('money.inWords')}：{words}）</span>}
              </td>
              <td className="num voucher-amount" data-testid="voucher-total-debit">
                {formatMoney(totals.debit)}
              </td>
              <td className="num voucher-amount" data-testid="voucher-total-credit">
                {formatMoney(totals.credit)}
              </td>
            </tr>
          </tfoot>
        </table>
      </div>
      <div className="voucher-sign">
        <span>
          {t('money.bookkeeper')}：{v.postedAt ? t('money.systemPosted') : '—'}
        </span>
        <span>
          {t('money.reviewedBy')}：<strong data-testid="voucher-reviewer">{v.reviewedByName ?? '—'}</strong>
        </span>
        <span>
          {t('money.preparedBy')}：<strong data-testid="voucher-preparer">{v.createdByName ?? '—'}</strong>
        </span>
      </div>
      {!totals.balanced && <Alert type="error" showIcon title={t('money.voucherUnbalanced')} className="no-print" />}
    </div>
  );
}

/** Where the voucher came from: the disbursement or repayment behind it. */
function SourceLink({ voucher: v }: { voucher: Voucher }) {
  const { t } = useTranslation();
  const { has } = useAccess();
  const label = t(`money.sources.${v.sourceKind}`, { defaultValue: v.sourceKind });
  if (!v.sourceId || !has(P.loanRead)) return <span>{label}</span>;
  if (v.sourceKind === 'disbursement') return <Link to={`/money/disbursements/${v.sourceId}`}>{label}</Link>;
  if (v.sourceKind === 'repayment') return <Link to={`/money/repayments/${v.sourceId}`}>{label}</Link>;
  return <span>{label}</span>;
}

export default function VoucherPage() {
  const { t, i18n } = useTranslation();
  const { id: idParam } = useParams();
  const voucher = useVoucher(Number(idParam));
  if (voucher.isPending)
    return (
      <PageContainer title={t('money.voucherTitle')}>
        <Spin />
      </PageContainer>
    );
  if (voucher.isError || !voucher.data)
    return (
      <PageContainer title={t('money.voucherTitle')}>
        <Empty description={translateError(voucher.error, t, i18n)} />
      </PageContainer>
    );
  const v = voucher.data;
  return (
    <PageContainer
      title={`${t('money.voucherTitle')} ${v.voucherNo}`}
      subtitle={`${t('money.sourceKind')}：${t(`money.sources.${v.sourceKind}`, { defaultValue: v.sourceKind })} · ${t('money.postedAt')} ${formatDateTime(v.postedAt)}`}
      extra={
        <Space wrap>
          <VoucherStatusTag status={v.status} />
          <SourceLink voucher={v} />
          <Button icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="voucher-print">
            {t('common.print')}
          </Button>
        </Space>
      }
      className="voucher-page"
    >
      <VoucherSheet voucher={v} />
    </PageContainer>
  );
}
