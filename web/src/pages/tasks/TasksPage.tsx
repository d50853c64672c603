import { useState } from 'react';
import { Badge, Card, Select, Tabs, Tag } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { useMeetings } from '../../api/committee';
import { P } from '../../access/permissions';
import { useAccess } from '../../auth/hooks';
import { awaitingMyVote } from '../../lib/committee';
import { MeetingList } from '../finance/committees/shared';
import { BUSINESS_TYPES, type BusinessType, type Task, type TaskQuery } from '../../api/workflow';
import { DataTable } from '../../components/DataTable';
import { PageContainer } from '../../components/PageContainer';
import { formatDateTime } from '../../lib/format';

const ACTION_COLORS: Record<string, string> = { approve: 'success', reject: 'error', return: 'warning', transfer: 'processing' };

/** 我的待办 / 已办: the tasks waiting for me, oldest first, and those I dealt with; and the
 * review-committee meetings I sit on (贷审会), with the items waiting for my vote. */
export default function TasksPage() {
  const { t } = useTranslation();
  const { me, has } = useAccess();
  const [params, setParams] = useSearchParams();
  const tab = params.get('state') === 'done' ? 'done' : params.get('state') === 'meetings' ? 'meetings' : 'open';
  const state = tab === 'done' ? 'done' : 'open';
  const meetings = useMeetings();
  const showMeetings = tab === 'meetings' || has(P.committeeManage) || (meetings.data?.length ?? 0) > 0;
  const toVote = awaitingMyVote(meetings.data ?? [], me?.id ?? 0);
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
          activeKey={tab}
          onChange={(k) => {
            setParams(k === 'open' ? {} : { state: k });
            setPaging((p) => ({ ...p, page: 1 }));
          }}
          tabBarExtraContent={
            tab !== 'meetings' && (
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
            )
          }
          items={[
            { key: 'open', label: <span data-testid="tasks-tab-open">{t('tasks.open')}</span>, children: tab === 'open' && table },
            { key: 'done', label: <span data-testid="tasks-tab-done">{t('tasks.done')}</span>, children: tab === 'done' && table },
            ...(showMeetings
              ? [
                  {
                    key: 'meetings',
                    label: (
                      <span data-testid="tasks-tab-meetings" className="menu-count">
                        {t('tasks.meetings')}
                        <Badge count={toVote} size="small" data-testid="votes-waiting" />
                      </span>
                    ),
                    children: tab === 'meetings' && <MeetingList />,
                  },
                ]
              : []),
          ]}
        />
      </Card>
    </PageContainer>
  );
}
