import { useEffect, useState } from 'react';
import { Alert, Button, Card, Empty, Select, Space, Tabs, Tag, Typography } from 'antd';
import { CalendarOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { translateError } from '../../../api/errors';
import { useCommittees, usePendingTasks, type Committee, type CommitteeMember, type PendingTask } from '../../../api/committee';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { DataTable } from '../../../components/DataTable';
import { PageContainer } from '../../../components/PageContainer';
import { StatusTag } from '../../../components/StatusTag';
import { fractionText } from '../../../lib/committee';
import { formatDateTime } from '../../../lib/format';
import { CommitteeDialog } from './CommitteeDialog';
import { MeetingList, MemberTags } from './shared';
import { MeetingDialog } from './MeetingDialog';

type TabKey = 'committees' | 'pending' | 'meetings';

/** 贷审会管理: the committees, the tasks waiting for a meeting, and the meetings held. */
export default function CommitteesPage() {
  const { t } = useTranslation();
  const { has } = useAccess();
  const [params, setParams] = useSearchParams();
  const tab = (['committees', 'pending', 'meetings'].includes(params.get('tab') ?? '') ? params.get('tab') : 'committees') as TabKey;
  const committees = useCommittees(has(P.flowRead));
  const [editing, setEditing] = useState<Committee | 'new' | null>(null);
  return (
    <PageContainer
      title={t('committees.title')}
      subtitle={t('committees.subtitle')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="committee-create">
          {t('committees.create')}
        </Button>
      }
    >
      {!has(P.flowRead) && <Alert type="warning" showIcon className="section-card" title={t('committees.needsFlowRead')} />}
      <Card className="section-card detail-tabs" size="small">
        <Tabs
          activeKey={tab}
          onChange={(k) => setParams(k === 'committees' ? {} : { tab: k })}
          items={[
            {
              key: 'committees',
              label: <span data-testid="committees-tab-list">{t('committees.tabs.committees')}</span>,
              children: tab === 'committees' && <CommitteeList committees={committees.data} loading={committees.isLoading} error={committees.error} onEdit={setEditing} />,
            },
            {
              key: 'pending',
              label: <span data-testid="committees-tab-pending">{t('committees.tabs.pending')}</span>,
              children: tab === 'pending' && <PendingTab committees={committees.data ?? []} />,
            },
            {
              key: 'meetings',
              label: <span data-testid="committees-tab-meetings">{t('committees.tabs.meetings')}</span>,
              children: tab === 'meetings' && <MeetingList />,
            },
          ]}
        />
      </Card>
      {editing && <CommitteeDialog committee={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />}
    </PageContainer>
  );
}

function CommitteeList({
  committees,
  loading,
  error,
  onEdit,
}: {
  committees: Committee[] | undefined;
  loading: boolean;
  error: unknown;
  onEdit: (c: Committee) => void;
}) {
  const { t, i18n } = useTranslation();
  if (error) return <Alert type="error" showIcon title={translateError(error, t, i18n)} />;
  return (
    <DataTable<Committee>
      rowKey="id"
      loading={loading}
      dataSource={committees}
      pagination={false}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('committees.none')} /> }}
      columns={[
        { title: t('committees.name'), dataIndex: 'name', render: (n: string) => <strong>{n}</strong> },
        { title: t('committees.members'), dataIndex: 'members', render: (m: CommitteeMember[]) => <div className="wrap-cell member-tags"><MemberTags members={m} /></div> },
        { title: t('committees.quorum'), dataIndex: 'quorum', render: fractionText },
        { title: t('committees.pass'), dataIndex: 'pass', render: fractionText },
        { title: t('common.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
        {
          title: t('common.actions'),
          key: 'actions',
          render: (_: unknown, c) => (
            <Button size="small" icon={<EditOutlined />} onClick={() => onEdit(c)} data-testid={`committee-edit-${c.id}`}>
              {t('common.edit')}
            </Button>
          ),
        },
      ]}
    />
  );
}

/** 待上会: the tasks waiting at a committee's steps, to put on a meeting's agenda. */
function PendingTab({ committees }: { committees: Committee[] }) {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const wanted = Number(params.get('committeeId')) || undefined;
  const [committeeId, setCommitteeId] = useState<number | undefined>(wanted);
  useEffect(() => {
    if (!committeeId && committees.length) setCommitteeId(committees.find((c) => c.status === 'active')?.id ?? committees[0].id);
  }, [committees, committeeId]);
  const committee = committees.find((c) => c.id === committeeId);
  const pending = usePendingTasks(committeeId);
  const preselect = Number(params.get('taskId')) || undefined;
  const [selected, setSelected] = useState<number[]>(preselect ? [preselect] : []);
  const [calling, setCalling] = useState(false);
  if (committees.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('committees.none')} />;
  return (
    <>
      <div className="tab-actions">
        <Space wrap>
          <span>{t('committees.committee')}</span>
          <Select<number>
            id="pending_committee"
            value={committeeId}
            onChange={(v) => {
              setCommitteeId(v);
              setSelected([]);
            }}
            options={committees.map((c) => ({ value: c.id, label: c.name }))}
            popupMatchSelectWidth={false}
            className="committee-picker"
          />
        </Space>
        <Button
          type="primary"
          icon={<CalendarOutlined />}
          disabled={!committee || selected.length === 0}
          onClick={() => setCalling(true)}
          data-testid="meeting-create"
        >
          {t('meetings.createWith', { count: selected.length })}
        </Button>
      </div>
      {pending.isError ? (
        <Alert type="error" showIcon title={translateError(pending.error, t, i18n)} />
      ) : (
        <DataTable<PendingTask>
          rowKey="id"
          loading={pending.isFetching}
          dataSource={pending.data}
          pagination={false}
          rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as number[]) }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('committees.noPending')} /> }}
          columns={[
            { title: t('tasks.subject'), dataIndex: 'title', render: (title: string) => <span className="task-title">{title}</span> },
            { title: t('tasks.businessType'), dataIndex: 'businessType', render: (b: string) => <Tag>{t(`flows.types.${b}`)}</Tag> },
            { title: t('tasks.step'), dataIndex: 'stepName' },
            { title: t('tasks.applicant'), dataIndex: 'applicantName' },
            { title: t('tasks.arrivedAt'), dataIndex: 'createdAt', render: formatDateTime },
          ]}
        />
      )}
      <Typography.Paragraph type="secondary" className="flow-help">
        {t('committees.pendingHelp')}
      </Typography.Paragraph>
      {calling && committee && <MeetingDialog committee={committee} pending={pending.data ?? []} selected={selected} onClose={() => setCalling(false)} />}
    </>
  );
}
