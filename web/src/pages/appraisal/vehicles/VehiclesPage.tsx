import { useState } from 'react';
import { Button, Form, Input, Space, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import type { Vehicle } from '../../../api/vehicles';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { DataTable } from '../../../components/DataTable';
import { ListFilters } from '../../../components/ListFilters';
import { PageContainer } from '../../../components/PageContainer';
import { compact } from '../../../lib/format';
import { formatMoney } from '../../../lib/money';
import { VehicleDetail } from './VehicleDetail';
import { VehicleForm } from './VehicleForm';

interface Filters {
  vin?: string;
  plate?: string;
  brand?: string;
}

/** 车辆评估: the vehicles, registered and appraised from a phone in the field. */
export default function VehiclesPage() {
  const { t } = useTranslation();
  const { has } = useAccess();
  const [filterForm] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({});
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [editing, setEditing] = useState<Vehicle | 'new' | null>(null);
  const [open, setOpen] = useState<number | null>(null);

  const query = { ...compact({ vin: filters.vin?.trim(), plate: filters.plate?.trim(), brand: filters.brand?.trim() }), ...paging };
  const list = useQuery({
    queryKey: ['vehicles', 'list', query],
    queryFn: () => unwrap(api.GET('/api/v1/vehicles', { params: { query } })),
    placeholderData: keepPreviousData,
  });

  return (
    <PageContainer
      title={t('vehicles.title')}
      subtitle={t('vehicles.subtitle')}
      extra={
        has(P.vehicleWrite) && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="vehicle-create">
            {t('vehicles.create')}
          </Button>
        )
      }
    >
      <ListFilters<Filters>
        name="vehicleFilters"
        form={filterForm}
        onSearch={(v) => {
          setFilters(v);
          setPaging((p) => ({ ...p, page: 1 }));
        }}
      >
        {[
          <Form.Item key="vin" name="vin" label={t('vehicles.vin')}>
            <Input allowClear autoCapitalize="characters" />
          </Form.Item>,
          <Form.Item key="plate" name="plate" label={t('vehicles.plate')}>
            <Input allowClear />
          </Form.Item>,
          <Form.Item key="brand" name="brand" label={t('vehicles.brand')}>
            <Input allowClear />
          </Form.Item>,
        ]}
      </ListFilters>
      <DataTable<Vehicle>
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
            title: t('vehicles.vehicle'),
            key: 'vehicle',
            render: (_: unknown, v) => (
              <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setOpen(v.id)}>
                {v.brand} {v.model}
              </Button>
            ),
          },
          { title: t('vehicles.plate'), dataIndex: 'plate', render: (p: string | null) => p ?? '-' },
          {
            title: t('vehicles.vin'),
            dataIndex: 'vin',
            render: (vin: string, v) => (
              <Space size={4}>
                <span className="mono">{vin}</span>
                {!v.vinCheckDigitValid && <Tag color="warning">{t('vehicles.vinOverridden')}</Tag>}
              </Space>
            ),
          },
          { title: t('vehicles.mileageKm'), dataIndex: 'mileageKm', align: 'right', render: (m: number) => m.toLocaleString() },
          { title: t('vehicles.currentValue'), dataIndex: 'currentValue', align: 'right', render: (v: string | null) => formatMoney(v) },
          { title: t('vehicles.lastAppraisedOn'), dataIndex: 'lastAppraisedOn', render: (d: string | null) => d ?? '-' },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, v) => (
              <Button type="link" size="small" onClick={() => setOpen(v.id)} data-testid={`vehicle-open-${v.id}`}>
                {has(P.appraisalWrite) ? t('vehicles.appraise') : t('common.view')}
              </Button>
            ),
          },
        ]}
      />
      {editing && (
        <VehicleForm
          vehicle={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(v) => {
            setEditing(null);
            setOpen(v.id);
          }}
        />
      )}
      {open !== null && (
        <VehicleDetail
          vehicleId={open}
          onClose={() => setOpen(null)}
          onEdit={(v) => {
            setOpen(null);
            setEditing(v);
          }}
        />
      )}
    </PageContainer>
  );
}
