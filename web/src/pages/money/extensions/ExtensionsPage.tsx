import { useState } from 'react';
import { DatePicker, Form, Input, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import type { components } from '../../../api/schema';
import { DataTable } from '../../../components/DataTable';
import { ListFilters } from '../../../components/ListFilters';
import { PageContainer } from '../../../components/PageContainer';
import { decimalToPercent } from '../../../lib/decimal';
import { compact } from '../../../lib/format';
import { ExportButton } from '../ExportButton';
import { Amount, DAY, PageBusinessDate } from '../shared';

type Extension = components['schemas']['Extension'];
const STATUSES = ['requested', 'approved', 'rejected'] as const;

interface Filters {
  q?: string;
  status?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

/** 展期台账: extended loans in the user's data scope, newest first; empty until extensions are granted. */
export default function ExtensionsPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({});
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const filter = compact({
    q: filters.q?.trim(),
    status: filters.status,
    from: filters.range?.[0]?.format(DAY),
    to: filters.range?.[1]?.format(DAY),
  });
  const query = { ...filter, ...paging };
  const list = useQuery({
    queryKey: ['finance', 'extensions', 'list', query],
    queryFn: () => unwrap(api.GET('/api/v1/extensions', { params: { query } })),
    placeholderData: keepPreviousData,
  });
  return (
    <PageContainer
      title={t('money.extensionsTitle')}
      subtitle={t('money.extensionsSubtitle')}
      extra={
        <Space wrap>
          <PageBusinessDate />
          <ExportButton name="extensions" query={filter} />
        </Space>
      }
    >
      <ListFilters<Filters>
        name="extensionFilters"
        form={form}
        onSearch={(v) => {
          setFilters(v);
          setPaging((p) => ({ ...p, page: 1 }));
        }}
      >
        {[
          <Form.Item key="q" name="q" label={t('common.keyword')}>
            <Input allowClear placeholder={t('money.repaymentSearchHint')} />
          </Form.Item>,
          <Form.Item key="status" name="status" label={t('common.status')}>
            <Select
              allowClear
              placeholder={t('common.all')}
              options={STATUSES.map((s) => ({ value: s, label: t(`money.extensionStatuses.${s}`) }))}
            />
          </Form.Item>,
          <Form.Item key="range" name="range" label={t('money.extensionAppliedRange')}>
            <DatePicker.RangePicker style={{ width: '100%' }} allowEmpty={[true, true]} />
          </Form.Item>,
        ]}
      </ListFilters>
      <DataTable<Extension>
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data?.items}
        data-testid="extensions-table"
        pagination={{
          current: paging.page,
          pageSize: paging.pageSize,
          total: list.data?.total,
          onChange: (page, pageSize) => setPaging({ page, pageSize }),
        }}
        columns={[
          {
            title: t('money.loanNo'),
            dataIndex: 'loanNo',
            render: (no: string, e) => (
              <Link to={`/money/loans/${e.loanId}`} className="mono">
                {no}
              </Link>
            ),
          },
          { title: t('money.customer'), dataIndex: 'customerName' },
          { title: t('common.status'), dataIndex: 'status', render: (s: string) => t(`money.extensionStatuses.${s}`, { defaultValue: s }) },
          { title: t('money.extensionAppliedOn'), dataIndex: 'appliedOn' },
          { title: t('money.extensionMonths'), dataIndex: 'extensionMonths', align: 'right' },
          { title: t('money.extensionOldMaturity'), dataIndex: 'oldMaturity' },
          { title: t('money.extensionNewMaturity'), dataIndex: 'newMaturity' },
          { title: t('money.extensionPrincipal'), dataIndex: 'principal', align: 'right', render: (v: string) => <Amount value={v} /> },
          { title: t('money.annualRate'), dataIndex: 'newAnnualRate', render: (r: string) => `${decimalToPercent(r) ?? r}%` },
          { title: t('money.extensionRestructuring'), dataIndex: 'restructuring', render: (b: boolean) => (b ? t('common.yes') : t('common.no')) },
          { title: t('money.maker'), dataIndex: 'requestedByName' },
          { title: t('money.checker'), dataIndex: 'approvedByName', render: (v: string | null) => v ?? '-' },
        ]}
      />
    </PageContainer>
  );
}
