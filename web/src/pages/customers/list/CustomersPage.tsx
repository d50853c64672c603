import { useState } from 'react';
import { Button, Form, Input, Space, Tag } from 'antd';
import type { TableRowSelection } from 'antd/es/table/interface';
import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import type { Customer, CustomerKind, CustomerQuery } from '../../../api/customers';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { DataTable } from '../../../components/DataTable';
import { DepartmentSelect } from '../../../components/DepartmentSelect';
import { ListFilters } from '../../../components/ListFilters';
import { PageContainer } from '../../../components/PageContainer';
import { StatusTag } from '../../../components/StatusTag';
import { compact } from '../../../lib/format';
import { groupMobile } from '../../../lib/pii';
import { exactFilter } from '../../../lib/search';
import { GradeSelect, ManagerSelect, PiiText } from '../shared';

interface Filters {
  name?: string;
  gradeId?: number;
  managerId?: number;
  departmentId?: number;
  exact?: string;
}

/** The customers list with filters and paging; `selection` turns on row selection (transfer). */
export function CustomerTable({
  kind,
  selection,
  name,
}: {
  kind?: CustomerKind;
  selection?: TableRowSelection<Customer>;
  name: string;
}) {
  const { t } = useTranslation();
  const { has } = useAccess();
  const [filterForm] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({});
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const base = kind === 'enterprise' ? '/customers/enterprises' : '/customers/individuals';

  const query: CustomerQuery = {
    ...compact({ kind, name: filters.name?.trim(), gradeId: filters.gradeId, managerId: filters.managerId, departmentId: filters.departmentId }),
    ...exactFilter(kind, filters.exact),
    ...paging,
  };
  const list = useQuery({
    queryKey: ['customers', 'list', query],
    queryFn: () => unwrap(api.GET('/api/v1/customers', { params: { query } })),
    placeholderData: keepPreviousData,
  });

  const filterItems = [
    <Form.Item key="n" name="name" label={t('customers.name')}>
      <Input allowClear placeholder={t('customers.namePrefixPlaceholder')} />
    </Form.Item>,
    <Form.Item key="x" name="exact" label={t('customers.exactSearch')}>
      <Input
        allowClear
        placeholder={kind === 'enterprise' ? t('customers.creditCode') : t('customers.exactSearchPlaceholder')}
        data-testid={`${name}-exact`}
      />
    </Form.Item>,
    <Form.Item key="g" name="gradeId" label={t('customers.grade')}>
      <GradeSelect scope="customer" placeholder={t('common.all')} />
    </Form.Item>,
    <Form.Item key="d" name="departmentId" label={t('customers.department')}>
      <DepartmentSelect includeDisabled placeholder={t('common.all')} />
    </Form.Item>,
  ];
  if (has(P.userRead))
    filterItems.push(
      <Form.Item key="m" name="managerId" label={t('customers.manager')}>
        <ManagerSelect placeholder={t('common.all')} />
      </Form.Item>,
    );

  return (
    <>
      <ListFilters<Filters>
        name={name}
        form={filterForm}
        onSearch={(v) => {
          setFilters(v);
          setPaging((p) => ({ ...p, page: 1 }));
        }}
      >
        {filterItems}
      </ListFilters>
      <DataTable<Customer>
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data?.items}
        rowSelection={selection}
        pagination={{
          current: paging.page,
          pageSize: paging.pageSize,
          total: list.data?.total,
          onChange: (page, pageSize) => setPaging({ page, pageSize }),
        }}
        columns={[
          {
            title: t('customers.name'),
            dataIndex: 'name',
            render: (v: string, c) => (
              <Link to={`${c.kind === 'enterprise' ? '/customers/enterprises' : base}/${c.id}`}>{v}</Link>
            ),
          },
          ...(kind === undefined
            ? [{ title: t('customers.kind'), dataIndex: 'kind', render: (k: string) => <Tag>{t(`customers.kinds.${k}`)}</Tag> }]
            : []),
          ...(kind === 'enterprise'
            ? [
                { title: t('customers.creditCode'), dataIndex: 'creditCode', render: (v: string | null) => <PiiText value={v} /> },
                { title: t('customers.legalRep'), key: 'rep', render: (_: unknown, c: Customer) => c.legalRepresentative?.name ?? '-' },
              ]
            : [
                { title: t('customers.idNumber'), dataIndex: 'idNumber', render: (v: string | null) => <PiiText value={v} /> },
                { title: t('customers.mobile'), dataIndex: 'mobile', render: (v: string | null) => <PiiText value={v ? groupMobile(v) : v} /> },
                {
                  title: `${t('customers.sex')}/${t('customers.age')}`,
                  key: 'sexAge',
                  render: (_: unknown, c: Customer) =>
                    c.kind === 'individual' && c.sex ? `${t(`sex.${c.sex}`)} · ${t('common.years', { count: c.age ?? 0 })}` : '-',
                },
              ]),
          { title: t('customers.grade'), dataIndex: 'gradeName', render: (v: string | null) => v ?? '-' },
          { title: t('customers.manager'), dataIndex: 'managerName' },
          { title: t('customers.department'), dataIndex: 'departmentName', render: (v: string | null) => v ?? '-' },
          { title: t('common.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
        ]}
      />
    </>
  );
}

export default function CustomersPage({ kind }: { kind: CustomerKind }) {
  const { t } = useTranslation();
  const { has } = useAccess();
  const navigate = useNavigate();
  const enterprise = kind === 'enterprise';
  return (
    <PageContainer
      title={t(enterprise ? 'customers.enterprisesTitle' : 'customers.individualsTitle')}
      subtitle={t(enterprise ? 'customers.enterprisesSubtitle' : 'customers.individualsSubtitle')}
      extra={
        has(P.customerWrite) && (
          <Space>
            <Button
              type="primary"
              icon={<PlusOutlined />}
              data-testid="customer-create"
              onClick={() => navigate(enterprise ? '/customers/enterprises/new' : '/customers/individuals/new')}
            >
              {t(enterprise ? 'customers.createEnterprise' : 'customers.createIndividual')}
            </Button>
          </Space>
        )
      }
    >
      <CustomerTable kind={kind} name={enterprise ? 'enterpriseFilters' : 'individualFilters'} />
    </PageContainer>
  );
}
