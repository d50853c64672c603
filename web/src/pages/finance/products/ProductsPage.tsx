import { useState } from 'react';
import { App, Button, Drawer, Form, Input, Select, Space, Spin, Table, Tabs, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import type { Product, ProductVersion } from '../../../api/products';
import { useErrorHandler } from '../../../api/useErrorHandler';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { DataTable } from '../../../components/DataTable';
import { ListFilters } from '../../../components/ListFilters';
import { PageContainer } from '../../../components/PageContainer';
import { StatusAction } from '../../../components/StatusAction';
import { StatusTag } from '../../../components/StatusTag';
import { blankToNull, formatDateTime } from '../../../lib/format';
import { formatMoney, formatPercent } from '../../../lib/money';
import { rateRange } from '../../../lib/product';
import { CapCheckView } from './CapCheckView';
import { ProductEditor } from './ProductEditor';
import { TermsView } from './TermsView';

interface Filters {
  q?: string;
  status?: 'active' | 'disabled';
  collateralKind?: 'mortgage' | 'pledge';
}

function VersionHistory({ id }: { id: number }) {
  const { t } = useTranslation();
  const versions = useQuery({
    queryKey: ['products', 'versions', id],
    queryFn: () => unwrap(api.GET('/api/v1/products/{id}/versions', { params: { path: { id } } })),
  });
  return (
    <Table<ProductVersion>
      size="small"
      rowKey="versionNo"
      loading={versions.isFetching}
      dataSource={versions.data}
      pagination={false}
      scroll={{ x: 'max-content' }}
      expandable={{ expandedRowRender: (v) => <TermsView terms={v.terms} /> }}
      data-testid="product-versions"
      columns={[
        { title: t('products.versionNo'), dataIndex: 'versionNo', render: (n: number) => `V${n}` },
        { title: t('common.name'), dataIndex: 'name' },
        { title: t('products.rateRange'), key: 'rate', render: (_: unknown, v: ProductVersion) => rateRange(v.terms.rateMin, v.terms.rateMax) },
        {
          title: t('products.worstApr'),
          dataIndex: 'worstAprPct',
          render: (apr: string, v: ProductVersion) => <Tag color={v.capStatus === 'warning' ? 'orange' : 'green'}>{formatPercent(apr)}</Tag>,
        },
        { title: t('products.savedBy'), dataIndex: 'createdByName', render: (v: string | null) => v ?? '-' },
        { title: t('common.createdAt'), dataIndex: 'createdAt', render: formatDateTime },
      ]}
    />
  );
}

function ProductDetail({ id, onClose }: { id: number; onClose: () => void }) {
  const { t } = useTranslation();
  const product = useQuery({
    queryKey: ['products', 'detail', id],
    queryFn: () => unwrap(api.GET('/api/v1/products/{id}', { params: { path: { id } } })),
  });
  const p = product.data;
  return (
    <Drawer open size="large" title={p ? `${p.name}（${p.code}）` : t('products.title')} onClose={onClose} destroyOnHidden>
      {!p ? (
        <Spin />
      ) : (
        <Tabs
          items={[
            {
              key: 'terms',
              label: t('products.currentTerms', { n: p.termsVersion }),
              children: (
                <>
                  {p.description && <p>{p.description}</p>}
                  <TermsView terms={p.terms} />
                  {p.capCheck && <CapCheckView cap={p.capCheck} />}
                </>
              ),
            },
            { key: 'versions', label: t('products.versions'), children: <VersionHistory id={id} /> },
          ]}
        />
      )}
    </Drawer>
  );
}

export default function ProductsPage() {
  const { t } = useTranslation();
  const { has } = useAccess();
  const canWrite = has(P.productWrite);
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [filterForm] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({});
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [viewing, setViewing] = useState<number | null>(null);
  const [editing, setEditing] = useState<Product | 'new' | null>(null);

  const list = useQuery({
    queryKey: ['products', 'list', filters, paging],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/products', {
          params: { query: { ...paging, q: blankToNull(filters.q) ?? undefined, status: filters.status, collateralKind: filters.collateralKind } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  // Editing starts from the product's current state, so a stale list row is never edited.
  const edit = useMutation({
    mutationFn: (id: number) => unwrap(api.GET('/api/v1/products/{id}', { params: { path: { id } } })),
    onSuccess: (p) => setEditing(p),
    onError: (e) => onError(e),
  });
  const toggle = useMutation({
    mutationFn: ({ p, action }: { p: Product; action: 'disable' | 'enable' }) =>
      unwrap(
        api.POST(action === 'disable' ? '/api/v1/products/{id}/disable' : '/api/v1/products/{id}/enable', {
          params: { path: { id: p.id } },
          body: { version: p.version },
        }),
      ),
    onSuccess: (_, { action }) => {
      message.success(t(action === 'disable' ? 'common.disabledOk' : 'common.enabledOk'));
      void queryClient.invalidateQueries({ queryKey: ['products'] });
    },
    onError: (e) => onError(e, { onReload: () => void list.refetch() }),
  });

  return (
    <PageContainer
      title={t('products.title')}
      subtitle={t('products.subtitle')}
      extra={
        canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="product-create">
            {t('products.create')}
          </Button>
        )
      }
    >
      <ListFilters<Filters>
        name="product-filters"
        form={filterForm}
        onSearch={(v) => {
          setFilters(v);
          setPaging((p) => ({ ...p, page: 1 }));
        }}
      >
        {[
          <Form.Item key="q" name="q" label={t('common.keyword')}>
            <Input allowClear placeholder={t('products.searchHint')} />
          </Form.Item>,
          <Form.Item key="status" name="status" label={t('common.status')}>
            <Select
              allowClear
              placeholder={t('common.all')}
              options={[
                { value: 'active', label: t('status.active') },
                { value: 'disabled', label: t('status.disabled') },
              ]}
            />
          </Form.Item>,
          <Form.Item key="collateralKind" name="collateralKind" label={t('products.collateralKind')}>
            <Select
              allowClear
              placeholder={t('common.all')}
              options={(['mortgage', 'pledge'] as const).map((k) => ({ value: k, label: t(`products.collateralKinds.${k}`) }))}
            />
          </Form.Item>,
        ]}
      </ListFilters>
      <DataTable<Product>
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
          { title: t('common.code'), dataIndex: 'code', fixed: 'left' },
          {
            title: t('common.name'),
            dataIndex: 'name',
            render: (name: string, p: Product) => (
              <Button type="link" size="small" onClick={() => setViewing(p.id)}>
                {name}
              </Button>
            ),
          },
          {
            title: t('products.methodsLabel'),
            key: 'methods',
            render: (_: unknown, p: Product) => p.terms.methods.map((m) => <Tag key={m}>{t(`products.methods.${m}`)}</Tag>),
          },
          {
            title: t('products.termRange'),
            key: 'term',
            render: (_: unknown, p: Product) => t('products.monthsRange', { min: p.terms.termMonthsMin, max: p.terms.termMonthsMax }),
          },
          {
            title: t('products.amountRange'),
            key: 'amount',
            render: (_: unknown, p: Product) => `${formatMoney(p.terms.amountMin)} – ${formatMoney(p.terms.amountMax)}`,
          },
          { title: t('products.rateRange'), key: 'rate', render: (_: unknown, p: Product) => rateRange(p.terms.rateMin, p.terms.rateMax) },
          {
            title: t('products.collateralKind'),
            key: 'collateral',
            render: (_: unknown, p: Product) => t(`products.collateralKinds.${p.terms.collateralKind}`),
          },
          { title: t('products.versionNo'), dataIndex: 'termsVersion', render: (n: number) => `V${n}` },
          { title: t('common.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
          { title: t('common.updatedAt'), dataIndex: 'updatedAt', render: formatDateTime },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, p: Product) => (
              <Space size={0}>
                <Button type="link" size="small" onClick={() => setViewing(p.id)}>
                  {t('common.view')}
                </Button>
                {canWrite && (
                  <>
                    <Button type="link" size="small" loading={edit.isPending && edit.variables === p.id} onClick={() => edit.mutate(p.id)}>
                      {t('common.edit')}
                    </Button>
                    <StatusAction name={p.name} status={p.status} onToggle={(action) => toggle.mutate({ p, action })} />
                  </>
                )}
              </Space>
            ),
          },
        ]}
      />
      {viewing !== null && <ProductDetail id={viewing} onClose={() => setViewing(null)} />}
      {editing && <ProductEditor product={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </PageContainer>
  );
}
