import { useState } from 'react';
import { Form, Input, Select, Tag } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { fetchHoldings, type HoldingRow } from '../../api/securing';
import { P } from '../../access/permissions';
import { useAccess } from '../../auth/hooks';
import { DataTable } from '../../components/DataTable';
import { ListFilters } from '../../components/ListFilters';
import { PageContainer } from '../../components/PageContainer';
import { compact } from '../../lib/format';
import { formatMoney } from '../../lib/money';

interface Filters {
  kind?: 'mortgage' | 'pledge';
  status?: string;
  q?: string;
}

/** 抵押/质押查询: held and released cars with their contracts. */
export default function RegistrationsPage() {
  const { t } = useTranslation();
  const { has } = useAccess();
  const [filterForm] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({});
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const query = { ...compact({ kind: filters.kind, status: filters.status, q: filters.q?.trim() || undefined }), ...paging };
  const list = useQuery({
    queryKey: ['collateral', 'registrations', query],
    queryFn: () => fetchHoldings(query),
    placeholderData: keepPreviousData,
  });
  const canOpen = has(P.contractRead);
  return (
    <PageContainer title={t('collateral.queryTitle')} subtitle={t('collateral.querySubtitle')}>
      <ListFilters<Filters>
        name="holdingFilters"
        form={filterForm}
        onSearch={(v) => {
          setFilters(v);
          setPaging((p) => ({ ...p, page: 1 }));
        }}
      >
        {[
          <Form.Item key="q" name="q" label={t('common.keyword')}>
            <Input allowClear placeholder={t('collateral.queryHint')} data-testid="holdings-q" />
          </Form.Item>,
          <Form.Item key="kind" name="kind" label={t('collateral.kind')}>
            <Select allowClear placeholder={t('common.all')} options={(['mortgage', 'pledge'] as const).map((k) => ({ value: k, label: t(`collateral.kinds.${k}`) }))} />
          </Form.Item>,
          <Form.Item key="status" name="status" label={t('common.status')}>
            <Select allowClear placeholder={t('common.all')} options={['registered', 'released'].map((s) => ({ value: s, label: t(`collateral.statuses.${s}`) }))} />
          </Form.Item>,
        ]}
      </ListFilters>
      <DataTable<HoldingRow>
        rowKey="id"
        data-testid="holdings-table"
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
            title: t('collateral.vehicle'),
            key: 'vehicle',
            render: (_: unknown, r) => (
              <>
                {r.brand} {r.model}
                <div className="mono">{r.vin}</div>
              </>
            ),
          },
          { title: t('vehicles.plate'), dataIndex: 'plate', render: (p: string | null) => p ?? '-' },
          {
            title: t('collateral.contractNo'),
            dataIndex: 'contractNo',
            render: (no: string, r) => (canOpen ? <Link to={`/business/contracts/${r.contractId}`}>{no}</Link> : no),
          },
          { title: t('collateral.borrower'), dataIndex: 'borrowerName' },
          { title: t('collateral.amount'), dataIndex: 'amount', align: 'right', render: (v: string | null) => (v ? formatMoney(v) : '-') },
          { title: t('collateral.kind'), dataIndex: 'kind', render: (k: string) => t(`collateral.kinds.${k}`, { defaultValue: k }) },
          {
            title: t('collateral.certOrYard'),
            key: 'cert',
            render: (_: unknown, r) =>
              r.kind === 'mortgage' ? (
                <span className="mono">{r.certificateNo ?? '-'}</span>
              ) : (
                [r.yard, r.slot].filter(Boolean).join(' · ') || '-'
              ),
          },
          { title: t('collateral.dates'), key: 'dates', render: (_: unknown, r) => (r.releasedOn ? `${r.registeredOn} → ${r.releasedOn}` : r.registeredOn) },
          {
            title: t('common.status'),
            dataIndex: 'status',
            render: (s: string) => <Tag color={s === 'registered' ? 'green' : 'default'}>{t(`collateral.statuses.${s}`, { defaultValue: s })}</Tag>,
          },
        ]}
      />
    </PageContainer>
  );
}
