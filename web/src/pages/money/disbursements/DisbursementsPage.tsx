import { useState } from 'react';
import { DatePicker, Form, Input, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { DISBURSEMENT_STATUSES, type Disbursement, type DisbursementQuery, type DisbursementStatus } from '../../../api/finance';
import { DataTable } from '../../../components/DataTable';
import { ListFilters } from '../../../components/ListFilters';
import { PageContainer } from '../../../components/PageContainer';
import { compact, formatDateTime } from '../../../lib/format';
import { ExportButton } from '../ExportButton';
import { Amount, PageBusinessDate, DAY, DisbursementStatusTag } from '../shared';

interface Filters {
  q?: string;
  status?: DisbursementStatus;
  range?: [Dayjs | null, Dayjs | null] | null;
}

/** 放款台账: every disbursement in the user's data scope, newest first. */
export default function DisbursementsPage() {
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
  const query: DisbursementQuery = { ...filter, ...paging };
  const list = useQuery({
    queryKey: ['finance', 'disbursements', 'list', query],
    queryFn: () => unwrap(api.GET('/api/v1/disbursements', { params: { query } })),
    placeholderData: keepPreviousData,
  });
  return (
    <PageContainer title={t('money.disbursementsTitle')} subtitle={t('money.disbursementsSubtitle')} extra={
        <Space wrap>
          <PageBusinessDate />
          <ExportButton name="disbursements" query={filter} />
        </Space>
      }
    >
      <ListFilters<Filters>
        name="disbursementFilters"
        form={form}
        onSearch={(v) => {
          setFilters(v);
          setPaging((p) => ({ ...p, page: 1 }));
        }}
      >
        {[
          <Form.Item key="q" name="q" label={t('common.keyword')}>
            <Input allowClear placeholder={t('money.disbursementSearchHint')} />
          </Form.Item>,
          <Form.Item key="status" name="status" label={t('common.status')}>
            <Select
              allowClear
              placeholder={t('common.all')}
              options={DISBURSEMENT_STATUSES.map((s) => ({ value: s, label: t(`money.disbursementStatuses.${s}`) }))}
            />
          </Form.Item>,
          <Form.Item key="range" name="range" label={t('money.valueDateRange')}>
            <DatePicker.RangePicker style={{ width: '100%' }} allowEmpty={[true, true]} />
          </Form.Item>,
        ]}
      </ListFilters>
      <DataTable<Disbursement>
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
            title: t('money.contractNo'),
            dataIndex: 'contractNo',
            render: (no: string, d) => (
              <Link to={`/money/disbursements/${d.id}`} className="mono" data-testid={`disbursement-link-${d.id}`}>
                {no}
              </Link>
            ),
          },
          { title: t('money.customer'), dataIndex: 'customerName' },
          { title: t('money.amount'), dataIndex: 'amount', align: 'right', render: (v: string) => <Amount value={v} /> },
          { title: t('money.valueDate'), dataIndex: 'valueDate' },
          { title: t('common.status'), dataIndex: 'status', render: (s: DisbursementStatus) => <DisbursementStatusTag status={s} /> },
          {
            title: t('money.loanNo'),
            dataIndex: 'loanNo',
            render: (no: string | null, d) =>
              no && d.loanId ? (
                <Link to={`/finance/loans/${d.loanId}`} className="mono">
                  {no}
                </Link>
              ) : (
                '-'
              ),
          },
          { title: t('money.payingAccount'), key: 'fund', render: (_: unknown, d) => `${d.fundAccountCode} ${d.fundAccountName}` },
          { title: t('money.maker'), dataIndex: 'registeredByName' },
          { title: t('money.registeredAt'), dataIndex: 'registeredAt', render: formatDateTime },
          { title: t('money.checker'), dataIndex: 'reviewedByName', render: (v: string | null) => v ?? '-' },
        ]}
      />
    </PageContainer>
  );
}
