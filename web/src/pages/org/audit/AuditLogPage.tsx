import { useState } from 'react';
import { AutoComplete, DatePicker, Form, Select, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { useAllUsers, type AuditLog } from '../../../api/queries';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { DataTable } from '../../../components/DataTable';
import { ListFilters } from '../../../components/ListFilters';
import { PageContainer } from '../../../components/PageContainer';
import { compact, formatDateTime } from '../../../lib/format';
import { recordLabel } from '../../../lib/diff';
import { DiffView } from '../../../components/AuditDiff';
import zh from '../../../locales/zh-CN.json';

interface Filters {
  entity?: string;
  action?: string;
  actorId?: number;
  range?: [Dayjs | null, Dayjs | null] | null;
}

const ENTITIES = Object.keys(zh.auditEntities);
const ACTIONS = Object.keys(zh.auditActions);
const ACTION_COLORS: Record<string, string> = { create: 'green', update: 'blue', disable: 'orange', enable: 'cyan', reset_password: 'purple' };

export default function AuditLogPage() {
  const { t } = useTranslation();
  const { has } = useAccess();
  const [filterForm] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({});
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const users = useAllUsers(has(P.userRead));

  const query = compact({
    entity: filters.entity?.trim(),
    action: filters.action?.trim(),
    actorId: filters.actorId,
    from: filters.range?.[0]?.format('YYYY-MM-DD'),
    to: filters.range?.[1]?.format('YYYY-MM-DD'),
  });

  const list = useQuery({
    queryKey: ['audit', query, paging],
    queryFn: () => unwrap(api.GET('/api/v1/audit-logs', { params: { query: { ...query, ...paging } } })),
    placeholderData: keepPreviousData,
  });

  const entityLabel = (e: string) => t(`auditEntities.${e}`, { defaultValue: e });
  const actionLabel = (a: string) => t(`auditActions.${a}`, { defaultValue: a });

  return (
    <PageContainer title={t('audit.title')} subtitle={t('audit.subtitle')}>
      <ListFilters<Filters>
        name="auditFilters"
        form={filterForm}
        onSearch={(v) => {
          setFilters(v);
          setPaging((p) => ({ ...p, page: 1 }));
        }}
      >
        {[
          <Form.Item key="e" name="entity" label={t('audit.entity')}>
            <AutoComplete allowClear placeholder={t('common.all')} options={ENTITIES.map((e) => ({ value: e, label: `${entityLabel(e)} · ${e}` }))} />
          </Form.Item>,
          <Form.Item key="a" name="action" label={t('audit.action')}>
            <AutoComplete allowClear placeholder={t('common.all')} options={ACTIONS.map((a) => ({ value: a, label: `${actionLabel(a)} · ${a}` }))} />
          </Form.Item>,
          <Form.Item key="u" name="actorId" label={t('audit.actor')}>
            <Select
              allowClear
              showSearch
              optionFilterProp="label"
              placeholder={t('common.all')}
              options={(users.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.displayName}（${u.username}）` }))}
            />
          </Form.Item>,
          <Form.Item key="r" name="range" label={t('audit.dateRange')}>
            <DatePicker.RangePicker style={{ width: '100%' }} allowEmpty={[true, true]} />
          </Form.Item>,
        ]}
      </ListFilters>

      <DataTable<AuditLog>
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data?.items}
        expandable={{ expandedRowRender: (log) => <DiffView log={log} /> }}
        pagination={{
          current: paging.page,
          pageSize: paging.pageSize,
          total: list.data?.total,
          onChange: (page, pageSize) => setPaging({ page, pageSize }),
        }}
        columns={[
          { title: t('audit.occurredAt'), dataIndex: 'occurredAt', render: formatDateTime },
          { title: t('audit.actor'), dataIndex: 'actorName', render: (v: string | null) => v ?? t('audit.system') },
          { title: t('audit.entity'), dataIndex: 'entity', render: entityLabel },
          {
            title: t('audit.action'),
            dataIndex: 'action',
            render: (a: string) => <Tag color={ACTION_COLORS[a] ?? 'default'}>{actionLabel(a)}</Tag>,
          },
          {
            title: t('audit.summary'),
            key: 'summary',
            render: (_: unknown, log) => recordLabel(log.after as Record<string, unknown> | null, log.before as Record<string, unknown> | null) ?? '-',
          },
          { title: t('audit.entityId'), dataIndex: 'entityId' },
        ]}
      />
    </PageContainer>
  );
}
