import { useMemo, useState } from 'react';
import { DatePicker, Form, Input, Select, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { VOUCHER_SOURCES, type Voucher, type VoucherQuery, type VoucherStatus } from '../../../api/finance';
import { DataTable } from '../../../components/DataTable';
import { ListFilters } from '../../../components/ListFilters';
import { PageContainer } from '../../../components/PageContainer';
import { accountLabel, STATUS_COLORS } from '../../../lib/finance';
import { compact } from '../../../lib/format';
import { Amount, useChart } from '../shared';

interface Filters {
  period?: Dayjs | null;
  sourceKind?: string;
  account?: string;
  loanId?: string;
}

export function VoucherStatusTag({ status }: { status: VoucherStatus }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLORS[status]}>{t(`money.voucherStatuses.${status}`)}</Tag>;
}

/** 财务凭证: posted vouchers with their lines, newest first, by period, source, account or loan. */
export default function VouchersPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const [form] = Form.useForm<Filters>();
  const initial: Filters = useMemo(() => {
    const period = params.get('period');
    return compact({
      loanId: params.get('loanId') ?? undefined,
      account: params.get('account') ?? undefined,
      period: period && /^\d{4}-\d{2}$/.test(period) ? dayjs(`${period}-01`) : undefined,
    });
  }, [params]);
  const [filters, setFilters] = useState<Filters>(initial);
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const chart = useChart();
  const loanId = Number(filters.loanId?.trim());
  const query: VoucherQuery = {
    ...compact({
      period: filters.period?.format('YYYY-MM'),
      sourceKind: filters.sourceKind,
      account: filters.account,
      loanId: Number.isInteger(loanId) && loanId > 0 ? loanId : undefined,
    }),
    ...paging,
  };
  const list = useQuery({
    queryKey: ['finance', 'vouchers', 'list', query],
    queryFn: () => unwrap(api.GET('/api/v1/vouchers', { params: { query } })),
    placeholderData: keepPreviousData,
  });
  return (
    <PageContainer title={t('money.vouchersTitle')} subtitle={t('money.vouchersSubtitle')}>
      <ListFilters<Filters>
        name="voucherFilters"
        form={form}
        onSearch={(v) => {
          setFilters(v);
          setPaging((p) => ({ ...p, page: 1 }));
        }}
      >
        {[
          <Form.Item key="period" name="period" label={t('money.period')} initialValue={initial.period}>
            <DatePicker picker="month" style={{ width: '100%' }} />
          </Form.Item>,
          <Form.Item key="sourceKind" name="sourceKind" label={t('money.sourceKind')}>
            <Select allowClear placeholder={t('common.all')} options={VOUCHER_SOURCES.map((s) => ({ value: s, label: t(`money.sources.${s}`) }))} />
          </Form.Item>,
          <Form.Item key="account" name="account" label={t('money.account')} initialValue={initial.account}>
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('money.accountHint')}
              loading={chart.isLoading}
              options={(chart.data ?? []).map((a) => ({ value: a.code, label: accountLabel(a) }))}
              popupMatchSelectWidth={false}
            />
          </Form.Item>,
          <Form.Item key="loanId" name="loanId" label={t('money.loanId')} initialValue={initial.loanId}>
            <Input allowClear inputMode="numeric" />
          </Form.Item>,
        ]}
      </ListFilters>
      <DataTable<Voucher>
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data?.items}
        pagination={{
          current: paging.page,
          pageSize: paging.pageSize,
          total: list.data?.total,
          onChange: (page, pageSize) => setPaging({ page, pageSize }),
        }}
        columns={[
          {
            title: t('money.voucherNo'),
            dataIndex: 'voucherNo',
            render: (no: string, v) => (
              <Link to={`/money/vouchers/${v.id}`} className="mono" data-testid={`voucher-link-${v.id}`}>
                {no}
              </Link>
            ),
          },
          { title: t('money.voucherDate'), dataIndex: 'voucherDate' },
          { title: t('money.summary'), dataIndex: 'summary' },
          { title: t('money.sourceKind'), dataIndex: 'sourceKind', render: (s: string) => <Tag>{t(`money.sources.${s}`, { defaultValue: s })}</Tag> },
          { title: t('money.total'), dataIndex: 'total', align: 'right', render: (v: string) => <Amount value={v} /> },
          { title: t('common.status'), dataIndex: 'status', render: (s: VoucherStatus) => <VoucherStatusTag status={s} /> },
          { title: t('money.preparedBy'), dataIndex: 'createdByName', render: (v: string | null) => v ?? '-' },
          { title: t('money.reviewedBy'), dataIndex: 'reviewedByName', render: (v: string | null) => v ?? '-' },
        ]}
      />
    </PageContainer>
  );
}
