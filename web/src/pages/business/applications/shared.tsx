import { useMemo, useState } from 'react';
import { Select, Space, Tag, Typography } from 'antd';
import type { SelectProps } from 'antd';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import type { ApplicationStatus, LoanApplication } from '../../../api/origination';
import type { Product, ProductTerms } from '../../../api/products';
import { ALL_PAGE } from '../../../api/queries';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { STATUS_COLORS } from '../../../lib/application';
import { formatMoney } from '../../../lib/money';
import { rateRange } from '../../../lib/product';
import { decimalToPercent } from '../../../lib/decimal';

export function ApplicationStatusTag({ status }: { status: ApplicationStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLORS[status]} data-testid="application-status">
      {t(`applications.statuses.${status}`)}
    </Tag>
  );
}

const DECISION_COLOR: Record<string, string> = { pass: 'success', manual_review: 'warning', reject: 'error' };

/** The screening's decision, grade and score, once the application was submitted. */
export function RiskTag({ application: a }: { application: Pick<LoanApplication, 'riskDecision' | 'riskGrade' | 'riskScore'> }) {
  const { t } = useTranslation();
  if (!a.riskDecision) return <Typography.Text type="secondary">-</Typography.Text>;
  return (
    <Space size={4} wrap>
      <Tag color={DECISION_COLOR[a.riskDecision] ?? 'default'}>{t(`risk.decisions.${a.riskDecision}`, { defaultValue: a.riskDecision })}</Tag>
      {a.riskGrade && <Tag>{t('applications.grade', { grade: a.riskGrade })}</Tag>}
      {a.riskScore != null && <Typography.Text type="secondary">{t('applications.score', { score: a.riskScore })}</Typography.Text>}
    </Space>
  );
}

/** The active products, for the application form (needs `product:read`). */
export function useActiveProducts() {
  const { has } = useAccess();
  return useQuery({
    queryKey: ['products', 'active'],
    queryFn: () => unwrap(api.GET('/api/v1/products', { params: { query: { status: 'active', page: 1, pageSize: ALL_PAGE } } })),
    enabled: has(P.productRead),
    staleTime: 60_000,
  });
}

/** What a product lends: amount, term, rate, methods and loan-to-value, on one line. */
export function TermsLine({ terms }: { terms: ProductTerms }) {
  const { t } = useTranslation();
  return (
    <span className="terms-line" data-testid="product-terms">
      {t('applications.termsLine', {
        amount: `${formatMoney(terms.amountMin)} – ${formatMoney(terms.amountMax)}`,
        term: t('products.monthsRange', { min: terms.termMonthsMin, max: terms.termMonthsMax }),
        rate: rateRange(terms.rateMin, terms.rateMax),
        methods: terms.methods.map((m) => t(`products.methods.${m}`)).join('、'),
        ltv: `${decimalToPercent(terms.maxLtv) ?? terms.maxLtv}%`,
      })}
    </span>
  );
}

export function ProductSelect({ products, ...props }: SelectProps<number> & { products: Product[] | undefined }) {
  const { t } = useTranslation();
  return (
    <Select<number>
      showSearch={{ optionFilterProp: 'label' }}
      placeholder={t('common.pleaseSelect')}
      options={(products ?? []).map((p) => ({ value: p.id, label: `${p.name}（${p.code}）` }))}
      {...props}
    />
  );
}

/**
 * Picks the vehicles offered as collateral: the borrower's own cars are listed at once; others are
 * found by plate or exact VIN. Each shows its current appraised value (or that it has none yet).
 */
export function VehicleSelect(props: {
  customerId?: number;
  value?: number[];
  onChange?: (v: number[]) => void;
  id?: string;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const text = search.trim();
  const own = useQuery({
    queryKey: ['vehicles', 'owned', props.customerId],
    queryFn: () => unwrap(api.GET('/api/v1/vehicles', { params: { query: { ownerCustomerId: props.customerId, page: 1, pageSize: 50 } } })),
    enabled: !!props.customerId,
  });
  const found = useQuery({
    queryKey: ['vehicles', 'search', text],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/vehicles', {
          params: { query: { ...(text.length === 17 ? { vin: text.toUpperCase() } : { plate: text }), page: 1, pageSize: 20 } },
        }),
      ),
    enabled: text.length > 0,
  });
  const picked = useQueries({
    queries: (props.value ?? []).map((id) => ({
      queryKey: ['vehicles', 'one', id],
      queryFn: () => unwrap(api.GET('/api/v1/vehicles/{id}', { params: { path: { id } } })),
      staleTime: 60_000,
    })),
  });
  const options = useMemo(() => {
    const all = [...(own.data?.items ?? []), ...(found.data?.items ?? []), ...picked.flatMap((q) => (q.data ? [q.data] : []))];
    const seen = new Set<number>();
    return all
      .filter((v) => !seen.has(v.id) && seen.add(v.id))
      .map((v) => ({
        value: v.id,
        label: `${v.brand} ${v.model} · ${v.plate ?? v.vin}${v.currentValue ? ` · ${t('applications.valued', { value: formatMoney(v.currentValue) })}` : ` · ${t('applications.notAppraised')}`}`,
      }));
  }, [own.data, found.data, picked, t]);
  return (
    <Select<number[]>
      id={props.id}
      mode="multiple"
      allowClear
      maxCount={5}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      placeholder={t('applications.vehicleSearch')}
      loading={own.isFetching || found.isFetching}
      options={options}
      value={props.value ?? []}
      onChange={(v) => props.onChange?.(v)}
      notFoundContent={t('applications.noVehicles')}
    />
  );
}

/** Picks guarantors among the customers, by the start of the name or an exact ID/mobile number. */
export function CustomersSelect(props: { value?: number[]; onChange?: (v: number[]) => void; exclude?: number; id?: string }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const text = search.trim();
  const exact = /^[0-9]{6,}[0-9Xx]$/.test(text) ? (/^1\d{10}$/.test(text) ? { mobile: text } : { idNumber: text }) : { name: text };
  const found = useQuery({
    queryKey: ['customers', 'search', undefined, text],
    queryFn: () => unwrap(api.GET('/api/v1/customers', { params: { query: { ...exact, page: 1, pageSize: 20 } } })),
    enabled: text.length > 0,
  });
  const picked = useQueries({
    queries: (props.value ?? []).map((id) => ({
      queryKey: ['customers', 'one', id, false],
      queryFn: () => unwrap(api.GET('/api/v1/customers/{id}', { params: { path: { id }, query: { reveal: false } } })),
      staleTime: 60_000,
    })),
  });
  const all = [...(found.data?.items ?? []), ...picked.flatMap((q) => (q.data ? [q.data] : []))];
  const seen = new Set<number>();
  const options = all
    .filter((c) => c.id !== props.exclude && !seen.has(c.id) && seen.add(c.id))
    .map((c) => ({ value: c.id, label: `${c.name}（${c.idNumber ?? c.creditCode ?? '#' + c.id}）` }));
  return (
    <Select<number[]>
      id={props.id}
      mode="multiple"
      allowClear
      showSearch={{ filterOption: false, onSearch: setSearch }}
      placeholder={t('customers.namePrefixPlaceholder')}
      loading={found.isFetching}
      options={options}
      value={props.value ?? []}
      onChange={(v) => props.onChange?.(v)}
    />
  );
}
