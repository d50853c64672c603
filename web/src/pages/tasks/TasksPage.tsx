import { useState } from 'react';
import { Card, Select, Tabs, Tag } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { BUSINESS_TYPES, type BusinessType, type Task, type TaskQuery } from '../../api/workflow';
import { DataTable } from '../../components/DataTable';
import { PageContainer } from '../../components/PageContainer';
import { formatDateTime } from '../../lib/format';

const ACTION_COLORS: Record<string, string> = { approve: 'success', reject: 'error', return: 'warning', transfer: 'processing' };

/** 我的待办 / 已办: the tasks waiting for me, oldest first, and those I dealt with. */
export default function TasksPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const state = params.get('state') === 'done' ? 'done' : 'open';
  const [businessType, setBusinessType] = useState<BusinessType>();
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const query: TaskQuery = { state, ...(businessType ? { businessType } : {}), ...paging };
  const list = useQuery({
    queryKey: ['tasks', 'list', query],
    queryFn: () => unwrap(api.GET('/api/v1/tasks', { params: { query } })),
    placeholderData: keepPreviousData,
  });

  const table = (
    <DataTable<Task>
      rowKey="id"
      loading={list.isFetching}
      dataSource={list.data?.items}
      locale={{ emptyText: t(state === 'open' ? 'tasks.emptyOpen' : 'tasks.emptyDone') }}
      pagination={{
        current: paging.page,
        pageSize: paging.pageSize,
        total: list.data?.total,
        onChange: (page, pageSize) => setPaging({ page, pageSize }),
      }}
      columns={[
        {
          title: t('tasks.subject'),
          dataIndex: 'title',
          render: (title: string, task) => (
            <Link to={`/tasks/${task.id}`} data-testid={`task-link-${task.id}`} className="task-title">
              {title}
            </Link>
          ),
        },
        { title: t('tasks.businessType'), dataIndex: 'businessType', render: (b: BusinessType) => <Tag>{t(`flows.types.${b}`)}</Tag> },
        { title: t('tasks.step'), dataIndex: 'stepName' },
        { title: t('tasks.applicant'), dataIndex: 'applicantName' },
        { title: t('tasks.arrivedAt'), dataIndex: 'createdAt', render: formatDateTime },
        ...(state === 'done'
          ? [
              {
                title: t('tasks.myAction'),
                dataIndex: 'action',
                render: (a: string | null, task: Task) =>
                  a ? <Tag color={ACTION_COLORS[a]}>{t(`tasks.actions.${a}`)}</Tag> : <Tag>{t(`tasks.statuses.${task.status}`)}</Tag>,
              },
              { title: t('tasks.comment'), dataIndex: 'comment', render: (c: string | null) => <span className="wrap-cell">{c ?? '-'}</span> },
              { title: t('tasks.actedAt'), dataIndex: 'actedAt', render: formatDateTime },
            ]
          : []),
      ]}
    />
  );

  return (
    <PageContainer title={t('tasks.title')} subtitle={t('tasks.subtitle')}>
      <Card className="section-card detail-tabs" size="small">
        <Tabs
          activeKey={state}
          onChange={(k) => {
            setParams(k === 'done' ? { state: 'done' } : {});
            setPaging((p) => ({ ...p, page: 1 }));
          }}
          tabBarExtraContent={
            <Select<BusinessType>
              allowClear
              size="small"
              className="task-type-filter"
              placeholder={t('tasks.allTypes')}
              value={businessType}
              onChange={(v) => {
                setBusinessType(v);
                setPaging((p) => ({ ...p, page: 1 }));
              }}
              options={BUSINESS_TYPES.map((b) => ({ value: b, label: t(`flows.types.${b}`) }))}
              popupMatchSelectWidth={false}
            />
          }
          items={[
            { key: 'open', label: <span data-testid="tasks-tab-open">{t('tasks.open')}</span>, children: state === 'open' && table },
            { key: 'done', label: <span data-testid="tasks-tab-done">{t('tasks.done')}</span>, children: state === 'done' && table },
          ]}
        />
      </Card>
    </PageContainer>
  );
}
