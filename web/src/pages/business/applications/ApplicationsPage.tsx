import { useState } from 'react';
import { Button, Checkbox, Form, Input, Select, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { APPLICATION_STATUSES, type ApplicationQuery, type ApplicationStatus, type LoanApplication } from '../../../api/origination';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { DataTable } from '../../../components/DataTable';
import { ListFilters } from '../../../components/ListFilters';
import { PageContainer } from '../../../components/PageContainer';
import { compact, formatDateTime } from '../../../lib/format';
import { formatMoney } from '../../../lib/money';
import { ApplicationStatusTag, RiskTag } from './shared';

interface Filters {
  q?: string;
  status?: ApplicationStatus;
  mine?: boolean;
}

/** 贷款申请: the applications within the user's data scope, newest first. */
export default function ApplicationsPage() {
  const { t } = useTranslation();
  const { has } = useAccess();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const customerId = Number(params.get('customerId')) || undefined;
  const [filterForm] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({});
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });

  const query: ApplicationQuery = {
    ...compact({ q: filters.q?.trim(), status: filters.status, customerId, mine: filters.mine || undefined }),
    ...paging,
  };
  const list = useQuery({
    queryKey: ['loan-applications', 'list', query],
    queryFn: () => unwrap(api.GET('/api/v1/loan-applications', { params: { query } })),
    placeholderData: keepPreviousData,
  });

  const filterItems = [
    <Form.Item key="q" name="q" label={t('common.keyword')}>
      <Input allowClear placeholder={t('applications.searchHint')} data-testid="applications-q" />
    </Form.Item>,
    <Form.Item key="status" name="status" label={t('common.status')}>
      <Select
        allowClear
        placeholder={t('common.all')}
        options={APPLICATION_STATUSES.map((s) => ({ value: s, label: t(`applications.statuses.${s}`) }))}
      />
    </Form.Item>,
  ];
  if (has(P.loanInvestigate))
    filterItems.push(
      <Form.Item key="mine" name="mine" valuePropName="checked" label={t('applications.mineLabel')}>
        <Checkbox>{t('applications.mine')}</Checkbox>
      </Form.Item>,
    );

  return (
    <PageContainer
      title={t('applications.title')}
      subtitle={t('applications.subtitle')}
      extra={
        has(P.loanApplicationWrite) && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/business/loan-applications/new')} data-testid="application-create">
            {t('applications.create')}
          </Button>
        )
      }
    >
      {customerId && (
        <Tag
          closable
          className="section-card"
          onClose={() => {
            params.delete('customerId');
            setParams(params);
          }}
        >
          {t('applications.forCustomer', { id: customerId })}
        </Tag>
      )}
      <ListFilters<Filters>
        name="applicationFilters"
        form={filterForm}
        onSearch={(v) => {
          setFilters(v);
          setPaging((p) => ({ ...p, page: 1 }));
        }}
      >
        {filterItems}
      </ListFilters>
      <DataTable<LoanApplication>
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
            title: t('applications.applicationNo'),
            dataIndex: 'applicationNo',
            render: (no: string, a) => (
              <Link to={`/business/loan-applications/${a.id}`} className="mono" data-testid={`application-link-${a.id}`}>
                {no}
              </Link>
            ),
          },
          { title: t('applications.customer'), dataIndex: 'customerName' },
          { title: t('applications.product'), dataIndex: 'productName' },
          { title: t('applications.amount'), dataIndex: 'amount', align: 'right', render: (v: string) => formatMoney(v) },
          { title: t('applications.termMonths'), dataIndex: 'termMonths', render: (n: number) => t('applications.months', { count: n }) },
          { title: t('common.status'), dataIndex: 'status', render: (s: ApplicationStatus) => <ApplicationStatusTag status={s} /> },
          { title: t('applications.risk'), key: 'risk', render: (_: unknown, a) => <RiskTag application={a} /> },
          { title: t('applications.investigator'), dataIndex: 'investigatorName', render: (v: string | null) => v ?? '-' },
          { title: t('applications.createdBy'), dataIndex: 'createdByName' },
          { title: t('common.updatedAt'), dataIndex: 'updatedAt', render: formatDateTime },
        ]}
      />
    </PageContainer>
  );
}
