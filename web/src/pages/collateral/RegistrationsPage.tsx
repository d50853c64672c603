import { useState } from 'react';
import { Button, Form, Input, Select, Tabs, Tag } from 'antd';
import { UnlockOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { fetchHoldings, type HoldingRow } from '../../api/securing';
import { P } from '../../access/permissions';
import { useAccess } from '../../auth/hooks';
import { DataTable } from '../../components/DataTable';
import { ListFilters } from '../../components/ListFilters';
import { PageContainer } from '../../components/PageContainer';
import { compact } from '../../lib/format';
import { formatMoney } from '../../lib/money';
import { releaseAction, type RegistrationStatus } from '../../lib/securing';
import { ReleaseDialog, ReleaseRequestsTable, RequestReleaseDialog } from './release';

interface Filters {
  kind?: 'mortgage' | 'pledge';
  status?: RegistrationStatus;
  q?: string;
}

const STATUSES: RegistrationStatus[] = ['registered', 'release_requested', 'released'];
const STATUS_COLOR: Record<string, string> = { registered: 'green', release_requested: 'orange', released: 'default' };

/** 抵押/质押查询: held and released cars with their contracts; 待审批解押: early releases to decide. */
export default function RegistrationsPage() {
  const { t } = useTranslation();
  const [tab, setTab] = useState('holdings');
  return (
    <PageContainer title={t('collateral.queryTitle')} subtitle={t('collateral.querySubtitle')}>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        destroyOnHidden
        items={[
          { key: 'holdings', label: t('collateral.holdingsTab'), children: <Holdings /> },
          { key: 'requests', label: t('collateral.early.queueTab'), children: <ReleaseRequestsTable /> },
        ]}
      />
    </PageContainer>
  );
}

function vehicleLabel(r: HoldingRow) {
  return `${r.brand} ${r.model} ${r.plate ?? r.vin}`;
}

function Holdings() {
  const { t } = useTranslation();
  const { has } = useAccess();
  const [filterForm] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({});
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [releasing, setReleasing] = useState<HoldingRow | null>(null);
  const [requesting, setRequesting] = useState<HoldingRow | null>(null);
  const query = { ...compact({ kind: filters.kind, status: filters.status, q: filters.q?.trim() || undefined }), ...paging };
  const list = useQuery({
    queryKey: ['collateral', 'registrations', query],
    queryFn: () => fetchHoldings(query),
    placeholderData: keepPreviousData,
  });
  const canOpen = has(P.contractRead);
  const canRelease = has(P.collateralRegister);
  return (
    <>
      <ListFilters<Filters>
        name="holdingFilters"
        form={filterForm}
        onSearch={(v) => {
          setFilters(v);
          setPaging((p) => ({ ...p, page: 1 }));
        }}
      >
        {[
          <Form.Item key="q" name="q" label={t('common.keyword')}>
            <Input allowClear placeholder={t('collateral.queryHint')} data-testid="holdings-q" />
          </Form.Item>,
          <Form.Item key="kind" name="kind" label={t('collateral.kind')}>
            <Select allowClear placeholder={t('common.all')} options={(['mortgage', 'pledge'] as const).map((k) => ({ value: k, label: t(`collateral.kinds.${k}`) }))} />
          </Form.Item>,
          <Form.Item key="status" name="status" label={t('common.status')}>
            <Select allowClear placeholder={t('common.all')} options={STATUSES.map((s) => ({ value: s, label: t(`collateral.statuses.${s}`) }))} />
          </Form.Item>,
        ]}
      </ListFilters>
      <DataTable<HoldingRow>
        rowKey="id"
        data-testid="holdings-table"
        loading={list.isFetching}
        dataSource={list.data?.items}
        onRow={(r) => ({ 'data-testid': `holding-row-${r.id}` }) as React.HTMLAttributes<HTMLElement>}
        pagination={{
          current: paging.page,
          pageSize: paging.pageSize,
          total: list.data?.total,
          onChange: (page, pageSize) => setPaging({ page, pageSize }),
        }}
        columns={[
          {
            title: t('collateral.vehicle'),
            key: 'vehicle',
            render: (_: unknown, r) => (
              <>
                {r.brand} {r.model}
                <div className="mono">{r.vin}</div>
              </>
            ),
          },
          { title: t('vehicles.plate'), dataIndex: 'plate', render: (p: string | null) => p ?? '-' },
          {
            title: t('collateral.contractNo'),
            dataIndex: 'contractNo',
            render: (no: string, r) => (canOpen ? <Link to={`/business/contracts/${r.contractId}`}>{no}</Link> : no),
          },
          { title: t('collateral.borrower'), dataIndex: 'borrowerName' },
          { title: t('collateral.amount'), dataIndex: 'amount', align: 'right', render: (v: string | null) => (v ? formatMoney(v) : '-') },
          { title: t('collateral.kind'), dataIndex: 'kind', render: (k: string) => t(`collateral.kinds.${k}`, { defaultValue: k }) },
          {
            title: t('collateral.certOrYard'),
            key: 'cert',
            render: (_: unknown, r) =>
              r.kind === 'mortgage' ? (
                <span className="mono">{r.certificateNo ?? '-'}</span>
              ) : (
                [r.yard, r.slot].filter(Boolean).join(' · ') || '-'
              ),
          },
          { title: t('collateral.dates'), key: 'dates', render: (_: unknown, r) => (r.releasedOn ? `${r.registeredOn} → ${r.releasedOn}` : r.registeredOn) },
          {
            title: t('common.status'),
            dataIndex: 'status',
            render: (s: string) => (
              <Tag color={STATUS_COLOR[s] ?? 'default'} data-testid="holding-status">
                {t(`collateral.statuses.${s}`, { defaultValue: s })}
              </Tag>
            ),
          },
          {
            title: t('collateral.basis'),
            key: 'basis',
            render: (_: unknown, r) =>
              r.releaseBasis ? (
                <span data-testid="holding-basis">
                  {t(`collateral.bases.${r.releaseBasis}`, { defaultValue: r.releaseBasis })}
                  {r.releaseBasis === 'exception' && (
                    <div className="muted">
                      {t('collateral.early.byWhom', { requester: r.releaseRequestedByName ?? '-', approver: r.releaseApprovedByName ?? '-' })}
                    </div>
                  )}
                </span>
              ) : (
                '-'
              ),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, r) => {
              const action = releaseAction(r.status, r.loanStatus, canRelease);
              if (action === 'release')
                return (
                  <Button type="link" size="small" danger icon={<UnlockOutlined />} onClick={() => setReleasing(r)} data-testid={`holding-release-${r.id}`}>
                    {t('collateral.release')}
                  </Button>
                );
              if (action === 'request')
                return (
                  <Button type="link" size="small" onClick={() => setRequesting(r)} data-testid={`holding-request-${r.id}`}>
                    {t('collateral.early.request')}
                  </Button>
                );
              return null;
            },
          },
        ]}
      />
      {releasing && <ReleaseDialog registration={releasing} vehicle={vehicleLabel(releasing)} onClose={() => setReleasing(null)} />}
      {requesting && <RequestReleaseDialog registration={requesting} vehicle={vehicleLabel(requesting)} onClose={() => setRequesting(null)} />}
    </>
  );
}
