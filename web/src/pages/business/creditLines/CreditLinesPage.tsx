import { useState } from 'react';
import { Button, Form, Input, Select, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { CREDIT_LINE_STATUSES, type CreditLine, type CreditLineQuery, type CreditLineStatus } from '../../../api/credit';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { DataTable } from '../../../components/DataTable';
import { ListFilters } from '../../../components/ListFilters';
import { PageContainer } from '../../../components/PageContainer';
import { compact, formatDateTime } from '../../../lib/format';
import { formatMoney } from '../../../lib/money';
import { AvailabilityTag, CreditLineStatusTag } from './CreditLineSections';

interface Filters {
  q?: string;
  status?: CreditLineStatus;
}

/** 授信申请: the credit lines within the user's data scope, newest first. */
export default function CreditLinesPage() {
  const { t } = useTranslation();
  const { has } = useAccess();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const customerId = Number(params.get('customerId')) || undefined;
  const [filterForm] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({});
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const query: CreditLineQuery = { ...compact({ q: filters.q?.trim(), status: filters.status, customerId }), ...paging };
  const list = useQuery({
    queryKey: ['credit-lines', 'list', query],
    queryFn: () => unwrap(api.GET('/api/v1/credit-lines', { params: { query } })),
    placeholderData: keepPreviousData,
  });
  return (
    <PageContainer
      title={t('creditLines.title')}
      subtitle={t('creditLines.subtitle')}
      extra={
        has(P.creditLineWrite) && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/business/credit-lines/new')} data-testid="credit-line-create">
            {t('creditLines.create')}
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
        name="creditLineFilters"
        form={filterForm}
        onSearch={(v) => {
          setFilters(v);
          setPaging((p) => ({ ...p, page: 1 }));
        }}
      >
        {[
          <Form.Item key="q" name="q" label={t('common.keyword')}>
            <Input allowClear placeholder={t('creditLines.searchHint')} />
          </Form.Item>,
          <Form.Item key="status" name="status" label={t('common.status')}>
            <Select allowClear placeholder={t('common.all')} options={CREDIT_LINE_STATUSES.map((s) => ({ value: s, label: t(`creditLines.statuses.${s}`) }))} />
          </Form.Item>,
        ]}
      </ListFilters>
      <DataTable<CreditLine>
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
            title: t('creditLines.lineNo'),
            dataIndex: 'lineNo',
            render: (no: string, l) => (
              <Link to={`/business/credit-lines/${l.id}`} className="mono" data-testid={`credit-line-link-${l.id}`}>
                {no}
              </Link>
            ),
          },
          { title: t('applications.customer'), dataIndex: 'customerName' },
          { title: t('creditLines.requestedAmount'), dataIndex: 'requestedAmount', align: 'right', render: (v: string) => formatMoney(v) },
          { title: t('creditLines.approvedAmount'), dataIndex: 'approvedAmount', align: 'right', render: (v: string | null) => formatMoney(v) },
          { title: t('creditLines.availableAmount'), dataIndex: 'availableAmount', align: 'right', render: (v: string) => formatMoney(v) },
          { title: t('creditLines.validity'), key: 'validity', render: (_: unknown, l) => `${l.validFrom} ~ ${l.validUntil}` },
          {
            title: t('common.status'),
            dataIndex: 'status',
            render: (s: CreditLineStatus, l) => (
              <span>
                <CreditLineStatusTag status={s} /> <AvailabilityTag line={l} />
              </span>
            ),
          },
          { title: t('applications.createdBy'), dataIndex: 'createdByName' },
          { title: t('common.updatedAt'), dataIndex: 'updatedAt', render: formatDateTime },
        ]}
      />
    </PageContainer>
  );
}
