import { useState } from 'react';
import { Alert, Table, Tag } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import type { AuditLog } from '../../../api/queries';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { DiffView } from '../../../components/AuditDiff';
import { formatDateTime } from '../../../lib/format';

/** The audit records of one customer, newest first. */
export function CustomerAuditTab({ customerId }: { customerId: number }) {
  const { t } = useTranslation();
  const { has } = useAccess();
  const [paging, setPaging] = useState({ page: 1, pageSize: 10 });
  const allowed = has(P.auditRead);
  const list = useQuery({
    queryKey: ['audit', 'customer', customerId, paging],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/audit-logs', {
          params: { query: { entity: 'customer', entityId: String(customerId), ...paging } },
        }),
      ),
    enabled: allowed,
    placeholderData: keepPreviousData,
  });
  if (!allowed) return <Alert type="info" showIcon title={t('customers.auditNoPermission')} />;
  return (
    <div className="table-scroll">
      <Table<AuditLog>
        size="small"
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data?.items}
        scroll={{ x: 'max-content' }}
        expandable={{ expandedRowRender: (log) => <DiffView log={log} /> }}
        pagination={{
          current: paging.page,
          pageSize: paging.pageSize,
          total: list.data?.total,
          size: 'small',
          onChange: (page, pageSize) => setPaging({ page, pageSize }),
        }}
        columns={[
          { title: t('audit.occurredAt'), dataIndex: 'occurredAt', render: formatDateTime },
          { title: t('audit.actor'), dataIndex: 'actorName', render: (v: string | null) => v ?? t('audit.system') },
          {
            title: t('audit.action'),
            dataIndex: 'action',
            render: (a: string) => <Tag>{t(`auditActions.${a}`, { defaultValue: a })}</Tag>,
          },
        ]}
      />
    </div>
  );
}
