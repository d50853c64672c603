import { useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Descriptions, Empty, Form, Input, Modal, Popconfirm, Progress, Radio, Space, Spin, Tag, Timeline, Tooltip, Typography } from 'antd';
import { CheckCircleOutlined, FilePdfOutlined, ReloadOutlined, UserDeleteOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { translateError } from '../../api/errors';
import { fetchMinutesPdf, meetingKey, useMeeting, VOTES, type AgendaItem, type Meeting, type Vote } from '../../api/committee';
import { saveBlob } from '../../api/contracts';
import { useErrorHandler } from '../../api/useErrorHandler';
import { P } from '../../access/permissions';
import { useAccess } from '../../auth/hooks';
import { PageContainer } from '../../components/PageContainer';
import { fractionText, isVoting, memberName, myPart, OUTCOME_COLORS, tallyView, VOTE_COLORS } from '../../lib/committee';
import { formatDateTime } from '../../lib/format';
import { MemberTags } from '../finance/committees/shared';

/** 贷审会会议: attendance, then each agenda item's named votes, its live tally and its close. */
export default function MeetingPage() {
  const { t, i18n } = useTranslation();
  const { id: idParam } = useParams();
  const id = Number(idParam);
  // Votes arrive from other members' screens: the tally follows them.
  const meeting = useMeeting(id, 15_000);
  if (meeting.isPending)
    return (
      <PageContainer title={t('meetings.pageTitle')}>
        <Spin />
      </PageContainer>
    );
  if (meeting.isError || !meeting.data)
    return (
      <PageContainer title={t('meetings.pageTitle')}>
        <Empty description={translateError(meeting.error, t, i18n)} />
      </PageContainer>
    );
  const m = meeting.data;
  return (
    <PageContainer
      title={m.title}
      subtitle={`${m.committee.name} · ${formatDateTime(m.scheduledAt)} · ${m.place}`}
      extra={
        <Space wrap>
          <MinutesButton meeting={m} />
          <Button icon={<ReloadOutlined />} loading={meeting.isFetching} onClick={() => void meeting.refetch()} data-testid="meeting-refresh">
            {t('common.refresh')}
          </Button>
        </Space>
      }
    >
      <AttendanceCard key={m.version} meeting={m} />
      {m.items.map((item) => (
        <ItemCard key={item.id} meeting={m} item={item} />
      ))}
    </PageContainer>
  );
}

/** 会议纪要: attendance, every named vote with its opinion, recusals, tallies and decisions. */
function MinutesButton({ meeting: m }: { meeting: Meeting }) {
  const { t } = useTranslation();
  const onError = useErrorHandler();
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    try {
      saveBlob(await fetchMinutesPdf(m.id), `${t('meetings.minutesFile', { title: m.title })}.pdf`.replace(/[\\/:*?"<>|]+/g, '_'));
    } catch (e) {
      onError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button icon={<FilePdfOutlined />} loading={busy} onClick={() => void download()} data-testid="minutes-download">
      {t('meetings.minutes')}
    </Button>
  );
}

function AttendanceCard({ meeting: m }: { meeting: Meeting }) {
  const { t } = useTranslation();
  const { has } = useAccess();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const manage = has(P.committeeManage);
  const [present, setPresent] = useState<number[]>(m.presentIds);
  const open = m.items.some((i) => i.status !== 'decided');
  const save = useMutation({
    mutationFn: () => unwrap(api.PUT('/api/v1/meetings/{id}/attendance', { params: { path: { id: m.id } }, body: { presentIds: present, version: m.version } })),
    onSuccess: (saved) => {
      message.success(t('meetings.attendanceSaved'));
      queryClient.setQueryData(meetingKey(m.id), saved);
    },
    onError: (e) => onError(e, { onReload: () => void queryClient.invalidateQueries({ queryKey: meetingKey(m.id) }) }),
  });
  const dirty = [...present].sort().join() !== [...m.presentIds].sort().join();
  return (
    <Card
      title={t('meetings.attendance')}
      className="section-card"
      size="small"
      data-testid="attendance"
      extra={
        <Typography.Text type="secondary">
          {t('meetings.rulesLine', { quorum: fractionText(m.committee.quorum), pass: fractionText(m.committee.pass) })}
        </Typography.Text>
      }
    >
      {manage && open ? (
        <>
          <Checkbox.Group value={present} onChange={(v) => setPresent(v as number[])} className="attendance-list">
            {m.committee.members.map((mb) => (
              <Checkbox key={mb.userId} value={mb.userId}>
                <span data-testid={`present-${mb.userId}`}>
                  {memberName(mb)}
                  <span className="muted">
                    （{t(`committees.roles.${mb.role}`)}
                    {mb.veto ? `，${t('committees.veto')}` : ''}）
                  </span>
                </span>
              </Checkbox>
            ))}
          </Checkbox.Group>
          <div className="form-actions">
            <Button type="primary" disabled={!dirty} loading={save.isPending} onClick={() => save.mutate()} data-testid="attendance-save">
              {t('meetings.saveAttendance')}
            </Button>
          </div>
        </>
      ) : (
        <Space size={[4, 4]} wrap>
          {m.committee.members.map((mb) => (
            <Tag key={mb.userId} color={m.presentIds.includes(mb.userId) ? 'success' : 'default'}>
              {memberName(mb)} · {m.presentIds.includes(mb.userId) ? t('meetings.present') : t('meetings.absent')}
            </Tag>
          ))}
        </Space>
      )}
      {!manage && (
        <div className="member-tags-row">
          <MemberTags members={m.committee.members} />
        </div>
      )}
    </Card>
  );
}

/** Where the record on the agenda can be read, for whoever may read it. */
function RecordLink({ item }: { item: AgendaItem }) {
  const { t } = useTranslation();
  const { has } = useAccess();
  const task = item.task;
  if (task.businessType === 'loan_application' && has(P.loanApplicationRead))
    return <Link to={`/business/loan-applications/${task.businessId}`}>{t('meetings.openApplication')}</Link>;
  if (task.businessType === 'credit_line' && has(P.creditLineRead))
    return <Link to={`/business/credit-lines/${task.businessId}`}>{t('meetings.openCreditLine')}</Link>;
  return null;
}

function ItemCard({ meeting: m, item }: { meeting: Meeting; item: AgendaItem }) {
  const { t } = useTranslation();
  const { me, has } = useAccess();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const view = tallyView(item, m.committee);
  const mine = myPart(m, item, me?.id ?? 0);
  const [recusing, setRecusing] = useState(false);
  const nameOf = (userId: number) => memberName(m.committee.members.find((x) => x.userId === userId) ?? { userId });
  const voters = m.committee.members.filter((x) => isVoting(x.role)).length;
  const close = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/meetings/{id}/items/{itemId}/close', { params: { path: { id: m.id, itemId: item.id } } })),
    onSuccess: (outcome) => {
      message.success(t(`meetings.closed.${outcome.decision}`, { defaultValue: t('meetings.closedAny') }));
      void queryClient.invalidateQueries({ queryKey: meetingKey(m.id) });
      void queryClient.invalidateQueries({ queryKey: ['meetings'] });
      void queryClient.invalidateQueries({ queryKey: ['tasks'] });
      void queryClient.invalidateQueries({ queryKey: ['loan-applications'] });
      void queryClient.invalidateQueries({ queryKey: ['credit-lines'] });
    },
    onError: (e) => {
      onError(e);
      void queryClient.invalidateQueries({ queryKey: meetingKey(m.id) });
    },
  });

  return (
    <Card
      className="section-card agenda-item"
      size="small"
      data-testid={`agenda-item-${item.id}`}
      title={<span className="wrap-cell agenda-title">{item.task.title}</span>}
      extra={
        item.status === 'decided' && item.outcome ? (
          <Tag color={OUTCOME_COLORS[item.outcome]} data-testid="item-outcome">
            {t(`meetings.outcomes.${item.outcome}`)}
          </Tag>
        ) : (
          <Tag color="processing" data-testid="item-outcome">
            {t('meetings.voting')}
          </Tag>
        )
      }
    >
      <Space wrap size={[12, 4]} className="agenda-meta">
        <span className="muted">
          {t(`flows.types.${item.task.businessType}`)} · {item.task.stepName} · {t('tasks.applicantIs', { name: item.task.applicantName })}
        </span>
        <RecordLink item={item} />
      </Space>

      <div className="tally" data-testid="tally">
        <div className="tally-counts">
          <div className="figure">
            <div className="figure-label">{t('meetings.presentCount')}</div>
            <div className="figure-value">
              {view.present}/{voters}
            </div>
            <Tag color={view.quorumMet ? 'success' : 'warning'}>
              {view.quorumMet ? t('meetings.quorumMet') : t('meetings.quorumShort', { needed: view.quorumNeeded })}
            </Tag>
          </div>
          {VOTES.map((v) => (
            <div key={v} className="figure" data-testid={`tally-${v}`}>
              <div className="figure-label">{t(`meetings.votes.${v}`)}</div>
              <div className="figure-value">{view[v]}</div>
            </div>
          ))}
        </div>
        <Progress percent={view.percent} size="small" format={() => t('meetings.castOf', { cast: view.cast, eligible: view.eligible })} />
        <Typography.Text type="secondary" className="tally-line">
          {t('meetings.passLine', { needed: view.agreeNeeded, eligible: view.eligible })}
          {view.waiting > 0 && ` ${t('meetings.waitingFor', { names: item.tally.waitingFor.map(nameOf).join('、') })}`}
          {item.tally.recused > 0 && ` ${t('meetings.recusedCount', { count: item.tally.recused })}`}
        </Typography.Text>
        {view.vetoed && <Alert type="error" showIcon className="veto-alert" title={t('meetings.vetoed')} />}
        {item.status !== 'decided' && view.outcome && (
          <Alert type="info" showIcon className="veto-alert" title={t('meetings.liveOutcome', { outcome: t(`meetings.outcomes.${view.outcome}`) })} />
        )}
      </div>

      {item.votes.length > 0 && (
        <>
          <Typography.Title level={5} className="flow-history-title">
            {t('meetings.namedVotes')}
          </Typography.Title>
          <Timeline
            data-testid="votes"
            items={item.votes.map((v) => ({
              color: v.vote === 'agree' ? 'green' : v.vote === 'disagree' ? 'red' : 'orange',
              content: (
                <div>
                  <div>
                    <strong>{v.name}</strong> <Tag color={VOTE_COLORS[v.vote]}>{t(`meetings.votes.${v.vote}`, { defaultValue: v.vote })}</Tag>
                    {v.veto && <Tag color="error">{t('meetings.vetoTag')}</Tag>}
                    <span className="muted">{formatDateTime(v.castAt)}</span>
                  </div>
                  <div className="event-comment">{v.opinion}</div>
                </div>
              ),
            }))}
          />
        </>
      )}
      {item.recusals.length > 0 && (
        <Descriptions size="small" column={1} title={t('meetings.recusals')} className="recusals">
          {item.recusals.map((r) => (
            <Descriptions.Item key={r.userId} label={r.name}>
              <span className="wrap-cell">{r.reason}</span>
            </Descriptions.Item>
          ))}
        </Descriptions>
      )}

      {mine.canVote ? (
        <BallotForm meeting={m} item={item} mayVeto={mine.mayVeto} />
      ) : (
        mine.block &&
        mine.block !== 'not_a_member' &&
        mine.block !== 'item_decided' && (
          <Alert
            type={mine.block === 'already_voted' ? 'success' : 'info'}
            showIcon
            className="ballot-note"
            data-testid="ballot-note"
            title={t(`meetings.blocks.${mine.block}`, { vote: mine.myVote ? t(`meetings.votes.${mine.myVote.vote}`, { defaultValue: mine.myVote.vote }) : '' })}
          />
        )
      )}
      <Space wrap className="item-actions">
        {mine.canRecuse && !mine.myVote && (
          <Button icon={<UserDeleteOutlined />} onClick={() => setRecusing(true)} data-testid={`recuse-${item.id}`}>
            {t('meetings.recuse')}
          </Button>
        )}
        {has(P.committeeManage) && item.status !== 'decided' && (
          <Tooltip title={view.closeBlock ? t(`meetings.closeBlocks.${view.closeBlock}`) : undefined}>
            <span>
              <Popconfirm
                title={t('meetings.closeConfirm')}
                description={view.outcome ? t('meetings.closeOutcome', { outcome: t(`meetings.outcomes.${view.outcome}`) }) : undefined}
                onConfirm={() => close.mutate()}
                okText={t('common.ok')}
                cancelText={t('common.cancel')}
                disabled={!!view.closeBlock}
              >
                <Button type="primary" icon={<CheckCircleOutlined />} disabled={!!view.closeBlock} loading={close.isPending} data-testid={`close-${item.id}`}>
                  {t('meetings.close')}
                </Button>
              </Popconfirm>
            </span>
          </Tooltip>
        )}
      </Space>
      {recusing && <RecusalDialog meeting={m} item={item} onClose={() => setRecusing(false)} />}
    </Card>
  );
}

interface BallotValues {
  vote: Vote;
  veto?: boolean;
  opinion: string;
}

/** 表决: a named vote with a written opinion; it cannot be changed once cast. */
function BallotForm({ meeting: m, item, mayVeto }: { meeting: Meeting; item: AgendaItem; mayVeto: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<BallotValues>();
  const vote = Form.useWatch('vote', form);
  const cast = useMutation({
    mutationFn: (v: BallotValues) =>
      unwrap(
        api.POST('/api/v1/meetings/{id}/items/{itemId}/votes', {
          params: { path: { id: m.id, itemId: item.id } },
          body: { vote: v.vote, opinion: v.opinion.trim(), veto: mayVeto && v.vote === 'disagree' && !!v.veto },
        }),
      ),
    onSuccess: (saved) => {
      message.success(t('meetings.voteCast'));
      queryClient.setQueryData(meetingKey(m.id), saved);
      void queryClient.invalidateQueries({ queryKey: ['meetings', 'mine'] });
    },
    onError: (e) => {
      onError(e, { form });
      void queryClient.invalidateQueries({ queryKey: meetingKey(m.id) });
    },
  });
  return (
    <Form<BallotValues>
      name={`ballot_${item.id}`}
      form={form}
      layout="vertical"
      className="ballot"
      data-testid={`ballot-${item.id}`}
      initialValues={{ veto: false }}
      onFinish={(v) => cast.mutate(v)}
    >
      <Form.Item name="vote" label={t('meetings.myVote')} rules={[{ required: true, message: t('meetings.pickVote') }]}>
        <Radio.Group buttonStyle="solid" className="task-actions">
          {VOTES.map((v) => (
            <Radio.Button key={v} value={v}>
              <span data-testid={`vote-${v}`}>{t(`meetings.votes.${v}`)}</span>
            </Radio.Button>
          ))}
        </Radio.Group>
      </Form.Item>
      {mayVeto && vote === 'disagree' && (
        <Form.Item name="veto" valuePropName="checked" extra={t('meetings.vetoHelp')}>
          <Checkbox data-testid="vote-veto">{t('meetings.castVeto')}</Checkbox>
        </Form.Item>
      )}
      <Form.Item name="opinion" label={t('meetings.opinion')} rules={[{ required: true, whitespace: true, message: t('meetings.opinionRequired') }]}>
        <Input.TextArea rows={3} maxLength={2000} showCount placeholder={t('meetings.opinionHint')} />
      </Form.Item>
      <Typography.Paragraph type="secondary" className="flow-help">
        {t('meetings.finalNote')}
      </Typography.Paragraph>
      <Button type="primary" htmlType="submit" block loading={cast.isPending} data-testid={`vote-submit-${item.id}`}>
        {t('meetings.castVote')}
      </Button>
    </Form>
  );
}

function RecusalDialog({ meeting: m, item, onClose }: { meeting: Meeting; item: AgendaItem; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<{ reason: string }>();
  const recuse = useMutation({
    mutationFn: (v: { reason: string }) =>
      unwrap(
        api.POST('/api/v1/meetings/{id}/items/{itemId}/recusal', {
          params: { path: { id: m.id, itemId: item.id } },
          body: { reason: v.reason.trim() },
        }),
      ),
    onSuccess: (saved) => {
      message.success(t('meetings.recused'));
      queryClient.setQueryData(meetingKey(m.id), saved);
      onClose();
    },
    onError: (e) => onError(e, { form }),
  });
  return (
    <Modal
      open
      title={t('meetings.recuseTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('meetings.recuse')}
      cancelText={t('common.cancel')}
      confirmLoading={recuse.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('meetings.recuseHelp')}</Typography.Paragraph>
      <Form name="recusal" form={form} layout="vertical" onFinish={(v) => recuse.mutate(v)}>
        <Form.Item name="reason" label={t('meetings.recuseReason')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
