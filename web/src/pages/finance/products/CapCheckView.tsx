import { Alert, Descriptions, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AprCase, WorstCase } from '../../../api/products';
import { formatMoney, formatPercent } from '../../../lib/money';
import { decimalToPercent } from '../../../lib/decimal';

const STATUS_COLOR = { ok: 'green', warning: 'orange', refused: 'red' } as const;

/** The worst-case APR of a product and what the caps say about it. */
export function CapCheckView({ cap }: { cap: WorstCase }) {
  const { t } = useTranslation();
  const { check, worst } = cap;
  const type = check.status === 'ok' ? 'success' : check.status === 'warning' ? 'warning' : 'error';
  return (
    <div data-testid="cap-check">
      <Alert
        type={type}
        showIcon
        className="section-card"
        title={t(`products.cap.${check.status}`, {
          apr: formatPercent(check.aprSimplePct2dp),
          hard: formatPercent(check.hardCapPct),
          lpr: formatPercent(check.lprCapPct ?? undefined),
        })}
        description={t('products.cap.worstCase', {
          method: t(`products.methods.${worst.method}`),
          term: worst.termMonths,
          amount: formatMoney(worst.amount),
          rate: `${decimalToPercent(worst.annualRate) ?? worst.annualRate}%`,
        })}
      />
      <Descriptions size="small" column={{ xs: 1, sm: 2 }} className="section-card">
        <Descriptions.Item label={t('products.cap.contractDate')}>{cap.contractDate}</Descriptions.Item>
        <Descriptions.Item label={t('products.cap.lpr')}>
          {check.lprPct ? `${formatPercent(check.lprPct)}（${check.lprEffectiveDate}）` : '-'}
        </Descriptions.Item>
        <Descriptions.Item label={t('products.cap.hardCap')}>{formatPercent(check.hardCapPct)}</Descriptions.Item>
        <Descriptions.Item label={t('products.cap.lprCap')}>{formatPercent(check.lprCapPct ?? undefined)}</Descriptions.Item>
      </Descriptions>
      <Table<AprCase>
        size="small"
        rowKey="method"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={cap.perMethod}
        columns={[
          { title: t('products.method'), dataIndex: 'method', render: (m: string) => t(`products.methods.${m}`) },
          { title: t('products.cap.term'), dataIndex: 'termMonths' },
          { title: t('products.cap.amount'), dataIndex: 'amount', render: (v: string) => formatMoney(v) },
          { title: t('products.cap.upfrontFees'), dataIndex: 'upfrontFees', render: (v: string) => formatMoney(v) },
          { title: t('products.cap.periodFees'), dataIndex: 'periodFees', render: (v: string) => formatMoney(v) },
          {
            title: t('products.cap.aprSimple'),
            dataIndex: 'aprSimplePct',
            render: (v: string, c: AprCase) => (
              <Tag color={c.method === worst.method ? STATUS_COLOR[check.status] : undefined}>{formatPercent(v)}</Tag>
            ),
          },
          { title: t('products.cap.aprCompound'), dataIndex: 'aprCompoundPct', render: (v: string) => formatPercent(v) },
        ]}
      />
    </div>
  );
}
