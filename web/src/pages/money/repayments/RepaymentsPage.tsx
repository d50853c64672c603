import { useState } from 'react';
import { DatePicker, Form, Input, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { REPAYMENT_STATUSES, type Repayment, type RepaymentQuery, type RepaymentStatus } from '../../../api/finance';
import { DataTable } from '../../../components/DataTable';
import { ListFilters } from '../../../components/ListFilters';
import { PageContainer } from '../../../components/PageContainer';
import { compact, formatDateTime } from '../../../lib/format';
import { ExportButton } from '../ExportButton';
import { PageBusinessDate, DAY, RepaymentAmount, RepaymentStatusTag, useMakerName } from '../shared';

interface Filters {
  q?: string;
  status?: RepaymentStatus;
  range?: [Dayjs | null, Dayjs | null] | null;
}

/** 还款台账: money received on loans in the user's data scope, newest first. */
export default function RepaymentsPage() {
  const { t } = useTranslation();
  const maker = useMakerName();
  const [form] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({});
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const filter = compact({
    q: filters.q?.trim(),
    status: filters.status,
    from: filters.range?.[0]?.format(DAY),
    to: filters.range?.[1]?.format(DAY),
  });
  const query: RepaymentQuery = { ...filter, ...paging };
  const list = useQuery({
    queryKey: ['finance', 'repayments', 'list', query],
    queryFn: () => unwrap(api.GET('/api/v1/repayments', { params: { query } })),
    placeholderData: keepPreviousData,
  });
  return (
    <PageContainer title={t('money.repaymentsTitle')} subtitle={t('money.repaymentsSubtitle')} extra={
        <Space wrap>
          <PageBusinessDate />
          <ExportButton name="repayments" query={filter} />
        </Space>
      }
    >
      <ListFilters<Filters>
        name="repaymentFilters"
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
              options={REPAYMENT_STATUSES.map((s) => ({ value: s, label: t(`money.repaymentStatuses.${s}`) }))}
            />
          </Form.Item>,
          <Form.Item key="range" name="range" label={t('money.arrivedRange')}>
            <DatePicker.RangePicker style={{ width: '100%' }} allowEmpty={[true, true]} />
          </Form.Item>,
        ]}
      </ListFilters>
      <DataTable<Repayment>
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
            title: t('money.loanNo'),
            dataIndex: 'loanNo',
            render: (no: string, r) => (
              <Link to={`/money/repayments/${r.id}`} className="mono" data-testid={`repayment-link-${r.id}`}>
                {no}
              </Link>
            ),
          },
          { title: t('money.customer'), dataIndex: 'customerName' },
          { title: t('money.amount'), dataIndex: 'amount', align: 'right', render: (_: string, r) => <RepaymentAmount repayment={r} /> },
          { title: t('money.channel'), dataIndex: 'channel', render: (c: string) => t(`money.channels.${c}`) },
          { title: t('money.arrivedOn'), dataIndex: 'valueDate' },
          { title: t('common.status'), dataIndex: 'status', render: (s: RepaymentStatus) => <RepaymentStatusTag status={s} /> },
          { title: t('money.receivingAccount'), key: 'fund', render: (_: unknown, r) => `${r.fundAccountCode} ${r.fundAccountName}` },
          { title: t('money.maker'), dataIndex: 'registeredByName', render: (_: string | null, r) => maker(r) },
          { title: t('money.registeredAt'), dataIndex: 'registeredAt', render: formatDateTime },
          { title: t('money.checker'), dataIndex: 'confirmedByName', render: (v: string | null) => v ?? '-' },
        ]}
      />
    </PageContainer>
  );
}
