import { useState } from 'react';
import { Alert, Form, Input, Tag } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { translateError } from '../../../api/errors';
import { useApplicationContracts } from '../../../api/contracts';
import type { ApplicationQuery, LoanApplication } from '../../../api/origination';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { DataTable } from '../../../components/DataTable';
import { ListFilters } from '../../../components/ListFilters';
import { PageContainer } from '../../../components/PageContainer';
import { liveContract } from '../../../lib/contract';
import { compact, formatDateTime } from '../../../lib/format';
import { formatMoney } from '../../../lib/money';
import { ContractStatusTag } from './shared';

/** The live contract of one application, or that none is generated yet. */
function ContractCell({ application: a }: { application: LoanApplication }) {
  const { t } = useTranslation();
  const contracts = useApplicationContracts(a.id);
  if (contracts.isLoading) return <span className="muted">…</span>;
  const live = liveContract(contracts.data);
  if (!live) return <Tag>{t('contracts.notGenerated')}</Tag>;
  return (
    <span className="contract-cell">
      <Link to={`/business/contracts/${live.id}`} className="mono">
        {live.contractNo}
      </Link>{' '}
      <ContractStatusTag status={live.status} />
    </span>
  );
}

/** 签约办理: the approved applications and where their contracts stand. */
export default function ContractsPage() {
  const { t, i18n } = useTranslation();
  const { has } = useAccess();
  const [form] = Form.useForm<{ q?: string }>();
  const [q, setQ] = useState<string>();
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const query: ApplicationQuery = { ...compact({ q: q?.trim() }), status: 'approved', ...paging };
  const list = useQuery({
    queryKey: ['loan-applications', 'list', query],
    queryFn: () => unwrap(api.GET('/api/v1/loan-applications', { params: { query } })),
    placeholderData: keepPreviousData,
    enabled: has(P.loanApplicationRead),
  });
  return (
    <PageContainer title={t('contracts.listTitle')} subtitle={t('contracts.listSubtitle')}>
      {!has(P.loanApplicationRead) ? (
        <Alert type="info" showIcon title={t('contracts.needsApplications')} />
      ) : (
        <>
          <ListFilters<{ q?: string }>
            name="contractFilters"
            form={form}
            onSearch={(v) => {
              setQ(v.q);
              setPaging((p) => ({ ...p, page: 1 }));
            }}
          >
            {[
              <Form.Item key="q" name="q" label={t('common.keyword')}>
                <Input allowClear placeholder={t('applications.searchHint')} />
              </Form.Item>,
            ]}
          </ListFilters>
          {list.isError && <Alert type="error" showIcon className="section-card" title={translateError(list.error, t, i18n)} />}
          <DataTable<LoanApplication>
            rowKey="id"
            loading={list.isFetching}
            dataSource={list.data?.items}
            locale={{ emptyText: t('contracts.noApproved') }}
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
                  <Link to={`/business/loan-applications/${a.id}`} className="mono">
                    {no}
                  </Link>
                ),
              },
              { title: t('applications.customer'), dataIndex: 'customerName' },
              { title: t('applications.amount'), dataIndex: 'amount', align: 'right', render: (v: string) => formatMoney(v) },
              { title: t('applications.termMonths'), dataIndex: 'termMonths', render: (n: number) => t('applications.months', { count: n }) },
              { title: t('contracts.contract'), key: 'contract', render: (_: unknown, a) => <ContractCell application={a} /> },
              { title: t('applications.decidedAt'), dataIndex: 'decidedAt', render: formatDateTime },
            ]}
          />
        </>
      )}
    </PageContainer>
  );
}
