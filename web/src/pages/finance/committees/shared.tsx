import { Alert, Empty, Space, Tag } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { translateError } from '../../../api/errors';
import { useMeetings, type CommitteeMember, type Meeting } from '../../../api/committee';
import { DataTable } from '../../../components/DataTable';
import { memberName, OUTCOME_COLORS } from '../../../lib/committee';
import { formatDateTime } from '../../../lib/format';

// Pieces shared by the committee pages (贷审会管理) and the meeting pages under 我的待办.

const ROLE_COLORS: Record<string, string> = { chair: 'gold', member: 'blue', presenter: 'default' };

export function MemberTags({ members }: { members: CommitteeMember[] }) {
  const { t } = useTranslation();
  return (
    <Space size={[4, 4]} wrap>
      {members.map((m) => (
        <Tag key={m.userId} color={ROLE_COLORS[m.role]}>
          {memberName(m)} · {t(`committees.roles.${m.role}`)}
          {m.veto ? ` · ${t('committees.veto')}` : ''}
        </Tag>
      ))}
    </Space>
  );
}

/** The outcome of each agenda item, or that it is still being voted on. */
export function AgendaSummary({ meeting }: { meeting: Meeting }) {
  const { t } = useTranslation();
  return (
    <Space size={[4, 4]} wrap>
      {meeting.items.map((i) =>
        i.status === 'decided' && i.outcome ? (
          <Tag key={i.id} color={OUTCOME_COLORS[i.outcome]}>
            {t(`meetings.outcomes.${i.outcome}`)}
          </Tag>
        ) : (
          <Tag key={i.id} color="processing">
            {t('meetings.voting')}
          </Tag>
        ),
      )}
    </Space>
  );
}

/** The meetings held or called, newest first. */
export function MeetingList() {
  const { t, i18n } = useTranslation();
  const meetings = useMeetings();
  if (meetings.isError) return <Alert type="error" showIcon title={translateError(meetings.error, t, i18n)} />;
  return (
    <DataTable<Meeting>
      rowKey="id"
      loading={meetings.isFetching}
      dataSource={meetings.data}
      pagination={false}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('meetings.none')} /> }}
      columns={[
        {
          title: t('meetings.title'),
          dataIndex: 'title',
          render: (title: string, m) => (
            <Link to={`/tasks/meetings/${m.id}`} data-testid={`meeting-link-${m.id}`} className="task-title">
              {title}
            </Link>
          ),
        },
        { title: t('committees.committee'), key: 'committee', render: (_: unknown, m) => m.committee.name },
        { title: t('meetings.scheduledAt'), dataIndex: 'scheduledAt', render: formatDateTime },
        { title: t('meetings.place'), dataIndex: 'place' },
        { title: t('meetings.agenda'), key: 'items', render: (_: unknown, m) => <AgendaSummary meeting={m} /> },
      ]}
    />
  );
}
