import { Card, Descriptions, Empty, Table, Tag, Timeline, Typography } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { CreditLine, CreditLineDetail, CreditLineStatus, CreditLineTransition, CreditLineUse } from '../../../api/credit';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { availability, CREDIT_LINE_COLORS } from '../../../lib/creditLine';
import { formatDateTime } from '../../../lib/format';
import { formatMoney } from '../../../lib/money';
import { FlowCard } from '../applications/ApplicationSections';

export function CreditLineStatusTag({ status }: { status: CreditLineStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={CREDIT_LINE_COLORS[status]} data-testid="credit-line-status">
      {t(`creditLines.statuses.${status}`)}
    </Tag>
  );
}

/** Whether a loan may draw on the line today (expired, frozen, used up), next to its status. */
export function AvailabilityTag({ line }: { line: Pick<CreditLine, 'status' | 'expired' | 'availableAmount'> }) {
  const { t } = useTranslation();
  const a = availability(line);
  if (a === 'not_active' || a === 'frozen') return null;
  const color = a === 'available' ? 'success' : a === 'expired' ? 'error' : 'warning';
  return <Tag color={color}>{t(`creditLines.availability.${a}`)}</Tag>;
}

export function CreditLineFacts({ line: l }: { line: CreditLine }) {
  const { t } = useTranslation();
  const { has } = useAccess();
  const customer = has(P.customerRead) ? <Link to={`/customers/individuals/${l.customerId}`}>{l.customerName}</Link> : l.customerName;
  return (
    <Card title={t('creditLines.facts')} className="section-card" size="small">
      <Descriptions bordered size="small" column={{ xs: 1, sm: 1, md: 2 }} className="detail-desc" data-testid="credit-line-facts">
        <Descriptions.Item label={t('creditLines.lineNo')}>
          <span className="mono">{l.lineNo}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('common.status')}>
          <CreditLineStatusTag status={l.status} /> <AvailabilityTag line={l} />
        </Descriptions.Item>
        <Descriptions.Item label={t('applications.customer')}>{customer}</Descriptions.Item>
        <Descriptions.Item label={t('creditLines.requestedAmount')}>{formatMoney(l.requestedAmount)}</Descriptions.Item>
        <Descriptions.Item label={t('creditLines.approvedAmount')}>{formatMoney(l.approvedAmount)}</Descriptions.Item>
        <Descriptions.Item label={t('creditLines.usedAmount')}>{formatMoney(l.usedAmount)}</Descriptions.Item>
        <Descriptions.Item label={t('creditLines.availableAmount')}>
          <strong data-testid="credit-line-available">{formatMoney(l.availableAmount)}</strong>
        </Descriptions.Item>
        <Descriptions.Item label={t('creditLines.validity')}>
          {l.validFrom} ~ {l.validUntil} {l.expired && <Tag color="error">{t('creditLines.expired')}</Tag>}
        </Descriptions.Item>
        <Descriptions.Item label={t('creditLines.purpose')} span="filled">
          <span className="wrap-cell">{l.purpose}</span>
        </Descriptions.Item>
        {l.frozenReason && (
          <Descriptions.Item label={t('creditLines.frozenReason')} span="filled">
            <span className="wrap-cell">{l.frozenReason}</span>
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('applications.createdBy')}>
          {l.createdByName} <Typography.Text type="secondary">{formatDateTime(l.createdAt)}</Typography.Text>
        </Descriptions.Item>
        {l.decidedAt && <Descriptions.Item label={t('applications.decidedAt')}>{formatDateTime(l.decidedAt)}</Descriptions.Item>}
      </Descriptions>
    </Card>
  );
}

/** 额度占用记录: each use by a loan and each release, with the used amount after it. */
export function UsesCard({ uses }: { uses: CreditLineUse[] }) {
  const { t } = useTranslation();
  const { has } = useAccess();
  return (
    <Card title={t('creditLines.uses')} className="section-card" size="small">
      <div className="table-scroll">
        <Table<CreditLineUse>
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={uses}
          scroll={{ x: 'max-content' }}
          data-testid="credit-line-uses"
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('creditLines.noUses')} /> }}
          columns={[
            { title: t('creditLines.useAt'), dataIndex: 'at', render: formatDateTime },
            { title: t('creditLines.useKind'), dataIndex: 'kind', render: (k: string) => <Tag color={k === 'use' ? 'blue' : 'green'}>{t(`creditLines.useKinds.${k}`)}</Tag> },
            { title: t('applications.amount'), dataIndex: 'amount', align: 'right', render: (v: string) => formatMoney(v) },
            { title: t('creditLines.usedAfter'), dataIndex: 'usedAfter', align: 'right', render: (v: string) => formatMoney(v) },
            {
              title: t('creditLines.reference'),
              key: 'ref',
              render: (_: unknown, u) =>
                u.referenceType === 'loan_application' && has(P.loanApplicationRead) ? (
                  <Link to={`/business/loan-applications/${u.referenceId}`}>{t('creditLines.referenceApplication', { id: u.referenceId })}</Link>
                ) : (
                  `${t(`flows.types.${u.referenceType}`, { defaultValue: u.referenceType })} #${u.referenceId}`
                ),
            },
            { title: t('creditLines.actor'), dataIndex: 'actorName', render: (v: string | null) => v ?? '-' },
          ]}
        />
      </div>
    </Card>
  );
}

export function CreditLineHistory({ transitions }: { transitions: CreditLineTransition[] }) {
  const { t } = useTranslation();
  return (
    <Card title={t('applications.statusHistory')} className="section-card" size="small">
      {transitions.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
      ) : (
        <Timeline
          data-testid="credit-line-history"
          items={[...transitions].reverse().map((tr) => ({
            color: tr.toStatus === 'active' ? 'green' : tr.toStatus === 'rejected' ? 'red' : tr.toStatus === 'returned' ? 'orange' : 'blue',
            content: (
              <div>
                <div>
                  {tr.fromStatus ? `${t(`creditLines.statuses.${tr.fromStatus}`)} → ` : `${t('applications.createdAs')} `}
                  <CreditLineStatusTag status={tr.toStatus} />
                  <span className="muted"> {t(`creditLines.events.${tr.action}`, { defaultValue: tr.action })}</span>
                </div>
                <div className="muted">
                  {tr.actorName ?? '-'} · {formatDateTime(tr.at)}
                </div>
                {tr.comment && <div className="event-comment">{tr.comment}</div>}
              </div>
            ),
          }))}
        />
      )}
    </Card>
  );
}

/** The read-only body of a credit line, shared by its page and a reviewer's task. */
export function CreditLineBody({ detail }: { detail: CreditLineDetail }) {
  return (
    <div className="application-grid">
      <div className="application-main">
        <CreditLineFacts line={detail.line} />
        <UsesCard uses={detail.uses} />
      </div>
      <div className="application-side">
        <FlowCard flow={detail.flow} />
        <CreditLineHistory transitions={detail.transitions} />
      </div>
    </div>
  );
}
