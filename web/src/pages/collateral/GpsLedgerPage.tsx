import { useState } from 'react';
import { Form, Input, Select, Tag } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { fetchGpsDevices, type GpsRow } from '../../api/securing';
import { P } from '../../access/permissions';
import { useAccess } from '../../auth/hooks';
import { DataTable } from '../../components/DataTable';
import { ListFilters } from '../../components/ListFilters';
import { PageContainer } from '../../components/PageContainer';
import { compact } from '../../lib/format';

interface Filters {
  status?: string;
  q?: string;
}

/** GPS台账: devices fitted and removed. */
export default function GpsLedgerPage() {
  const { t } = useTranslation();
  const { has } = useAccess();
  const [filterForm] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({});
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const query = { ...compact({ status: filters.status, q: filters.q?.trim() || undefined }), ...paging };
  const list = useQuery({
    queryKey: ['collateral', 'gps', query],
    queryFn: () => fetchGpsDevices(query),
    placeholderData: keepPreviousData,
  });
  const canOpen = has(P.contractRead);
  return (
    <PageContainer title={t('collateral.ledgerTitle')} subtitle={t('collateral.ledgerSubtitle')}>
      <ListFilters<Filters>
        name="gpsFilters"
        form={filterForm}
        onSearch={(v) => {
          setFilters(v);
          setPaging((p) => ({ ...p, page: 1 }));
        }}
      >
        {[
          <Form.Item key="q" name="q" label={t('common.keyword')}>
            <Input allowClear placeholder={t('collateral.ledgerHint')} data-testid="gps-q" />
          </Form.Item>,
          <Form.Item key="status" name="status" label={t('common.status')}>
            <Select allowClear placeholder={t('common.all')} options={['installed', 'removed'].map((s) => ({ value: s, label: t(`collateral.gpsStatuses.${s}`) }))} />
          </Form.Item>,
        ]}
      </ListFilters>
      <DataTable<GpsRow>
        rowKey="id"
        data-testid="gps-table"
        loading={list.isFetching}
        dataSource={list.data?.items}
        pagination={{
          current: paging.page,
          pageSize: paging.pageSize,
          total: list.data?.total,
          onChange: (page, pageSize) => setPaging({ page, pageSize }),
        }}
        columns={[
          { title: t('collateral.imei'), dataIndex: 'imei', render: (v: string) => <span className="mono">{v}</span> },
          { title: t('collateral.gpsKind'), dataIndex: 'kind', render: (k: string) => t(`collateral.gpsKinds.${k}`, { defaultValue: k }) },
          { title: t('vehicles.vin'), dataIndex: 'vin', render: (v: string) => <span className="mono">{v}</span> },
          { title: t('vehicles.plate'), dataIndex: 'plate', render: (p: string | null) => p ?? '-' },
          { title: t('collateral.simNo'), dataIndex: 'simNo', render: (v: string | null) => v ?? '-' },
          { title: t('collateral.installPlace'), dataIndex: 'installPlace' },
          { title: t('collateral.installer'), dataIndex: 'installer' },
          { title: t('collateral.installedOn'), dataIndex: 'installedOn' },
          { title: t('collateral.removedOn'), dataIndex: 'removedOn', render: (v: string | null) => v ?? '-' },
          {
            title: t('common.status'),
            dataIndex: 'status',
            render: (s: string) => <Tag color={s === 'installed' ? 'green' : 'default'}>{t(`collateral.gpsStatuses.${s}`, { defaultValue: s })}</Tag>,
          },
          {
            title: t('common.actions'),
            key: 'contract',
            render: (_: unknown, r) =>
              r.contractId != null && canOpen ? <Link to={`/business/contracts/${r.contractId}`}>{t('collateral.toContract')}</Link> : null,
          },
        ]}
      />
    </PageContainer>
  );
}
