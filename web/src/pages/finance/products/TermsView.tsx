import { Descriptions, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ProductTerms } from '../../../api/products';
import { decimalToPercent } from '../../../lib/decimal';
import { formatMoney } from '../../../lib/money';
import { rateRange } from '../../../lib/product';

const pct = (v: string | null | undefined) => (v ? `${decimalToPercent(v) ?? v}%` : '-');

/** A terms version, read-only. */
export function TermsView({ terms }: { terms: ProductTerms }) {
  const { t } = useTranslation();
  const pf = terms.prepaymentFee;
  return (
    <Descriptions size="small" bordered column={{ xs: 1, md: 2 }} className="section-card">
      <Descriptions.Item label={t('products.methodsLabel')} span={2}>
        {terms.methods.map((m) => (
          <Tag key={m}>{t(`products.methods.${m}`)}</Tag>
        ))}
      </Descriptions.Item>
      <Descriptions.Item label={t('products.termRange')}>
        {t('products.monthsRange', { min: terms.termMonthsMin, max: terms.termMonthsMax })}
      </Descriptions.Item>
      <Descriptions.Item label={t('products.amountRange')}>
        {formatMoney(terms.amountMin)} – {formatMoney(terms.amountMax)}
      </Descriptions.Item>
      <Descriptions.Item label={t('products.rateRange')}>{rateRange(terms.rateMin, terms.rateMax)}</Descriptions.Item>
      <Descriptions.Item label={t('products.dayBasis')}>{terms.dayBasis ?? 360}</Descriptions.Item>
      <Descriptions.Item label={t('products.penaltyMultiplier')}>{terms.penaltyMultiplier ?? '1.5'}</Descriptions.Item>
      <Descriptions.Item label={t('products.graceDays')}>{terms.graceDays ?? 0}</Descriptions.Item>
      <Descriptions.Item label={t('products.allocation')} span={2}>
        {(terms.allocation?.components ?? []).map((c) => t(`products.components.${c}`)).join(' → ')}
        {terms.allocation?.installmentByInstallment ? `（${t('products.installmentByInstallment')}）` : ''}
      </Descriptions.Item>
      <Descriptions.Item label={t('products.fees')} span={2}>
        {(terms.fees ?? []).length === 0
          ? t('common.none')
          : (terms.fees ?? []).map((f, i) => (
              <div key={i}>
                {t(`products.feeTypes.${f.type}`)}：{f.basis === 'fixed' ? formatMoney(f.amount) : pct(f.rate)}（
                {t(`products.timings.${f.timing}`)}）
              </div>
            ))}
      </Descriptions.Item>
      <Descriptions.Item label={t('products.repaymentDay')}>{terms.repaymentDay ?? t('products.anniversary')}</Descriptions.Item>
      <Descriptions.Item label={t('products.minFirstPeriodDays')}>{terms.minFirstPeriodDays ?? 10}</Descriptions.Item>
      {terms.balloonRatio && <Descriptions.Item label={t('products.balloonRatio')}>{pct(terms.balloonRatio)}</Descriptions.Item>}
      <Descriptions.Item label={t('products.maxLtv')}>{pct(terms.maxLtv)}</Descriptions.Item>
      <Descriptions.Item label={t('products.prepaymentFee')}>
        {!pf || pf.kind === 'none'
          ? t('products.prepaymentKinds.none')
          : `${t(`products.prepaymentKinds.${pf.kind}`)} ${pf.kind === 'percent_of_remaining' ? pct(pf.rate) : t('products.nMonths', { n: pf.months })}` +
            (pf.freeAfterMonths != null ? `，${t('products.freeAfter', { n: pf.freeAfterMonths })}` : '') +
            (pf.cap ? `，${t('products.capAt', { cap: formatMoney(pf.cap) })}` : '')}
      </Descriptions.Item>
      <Descriptions.Item label={t('products.collateralKind')}>
        {t(`products.collateralKinds.${terms.collateralKind}`)}
        {terms.gpsRequired ? ` + ${t('products.gpsRequired')}` : ''}
      </Descriptions.Item>
      <Descriptions.Item label={t('products.flatPayoffBasis')}>
        {t(`products.payoffBases.${terms.flatPayoffBasis ?? 'remaining'}`)}
      </Descriptions.Item>
    </Descriptions>
  );
}
