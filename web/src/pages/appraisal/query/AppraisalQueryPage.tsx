import { useState } from 'react';
import { DatePicker, Form, Input } from 'antd';
import type { Dayjs } from 'dayjs';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import type { Appraisal } from '../../../api/vehicles';
import { DataTable } from '../../../components/DataTable';
import { ListFilters } from '../../../components/ListFilters';
import { PageContainer } from '../../../components/PageContainer';
import { compact } from '../../../lib/format';
import { isDecimalString } from '../../../lib/decimal';
import { formatMoney } from '../../../lib/money';

interface Filters {
  vin?: string;
  plate?: string;
  brand?: string;
  dates?: [Dayjs | null, Dayjs | null] | null;
  minValue?: string;
  maxValue?: string;
}

const amount = (s: string | undefined) => {
  const v = s?.trim().replace(/,/g, '');
  return v && isDecimalString(v) ? v : undefined;
};

/** 评估查询: appraisals within the user's data scope. */
export default function AppraisalQueryPage() {
  const { t } = useTranslation();
  const [filterForm] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({});
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const query = {
    ...compact({
      vin: filters.vin?.trim(),
      plate: filters.plate?.trim(),
      brand: filters.brand?.trim(),
      from: filters.dates?.[0]?.format('YYYY-MM-DD'),
      to: filters.dates?.[1]?.format('YYYY-MM-DD'),
      minValue: amount(filters.minValue),
      maxValue: amount(filters.maxValue),
    }),
    ...paging,
  };
  const list = useQuery({
    queryKey: ['appraisals', 'search', query],
    queryFn: () => unwrap(api.GET('/api/v1/appraisals', { params: { query } })),
    placeholderData: keepPreviousData,
  });
  return (
    <PageContainer title={t('appraisals.title')} subtitle={t('appraisals.subtitle')}>
      <ListFilters<Filters>
        name="appraisalFilters"
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
          <Form.Item key="dates" name="dates" label={t('appraisals.appraisedOn')}>
            <DatePicker.RangePicker style={{ width: '100%' }} allowEmpty={[true, true]} />
          </Form.Item>,
          <Form.Item key="min" name="minValue" label={t('appraisals.minValue')}>
            <Input allowClear inputMode="decimal" />
          </Form.Item>,
          <Form.Item key="max" name="maxValue" label={t('appraisals.maxValue')}>
            <Input allowClear inputMode="decimal" />
          </Form.Item>,
        ]}
      </ListFilters>
      <DataTable<Appraisal>
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
          { title: t('appraisals.appraisedOn'), dataIndex: 'appraisedOn' },
          { title: t('vehicles.vehicle'), key: 'vehicle', render: (_: unknown, a) => `${a.brand} ${a.model}` },
          { title: t('vehicles.plate'), dataIndex: 'plate', render: (p: string | null) => p ?? '-' },
          { title: t('vehicles.vin'), dataIndex: 'vin', render: (v: string) => <span className="mono">{v}</span> },
          { title: t('appraisals.value'), dataIndex: 'value', align: 'right', render: (v: string) => formatMoney(v) },
          { title: t('appraisals.method'), dataIndex: 'method', render: (m: string) => t(`appraisals.methods.${m}`) },
          { title: t('appraisals.conditionGrade'), dataIndex: 'conditionGrade', render: (g: string) => t(`appraisals.grades.${g}`) },
          { title: t('appraisals.appraiser'), dataIndex: 'appraiserName' },
        ]}
      />
    </PageContainer>
  );
}
