import { useCallback, useMemo } from 'react';
import { Alert, Card, Descriptions, Empty, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useQueries } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import type { ApplicationDetail, CollateralCheck, FlowInstance, LoanApplication, StatusChange, VehicleValue } from '../../../api/origination';
import { useAllUsers } from '../../../api/queries';
import type { Assignee } from '../../../api/workflow';
import { useCreditLine } from '../../../api/credit';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { FlowInstanceDiagram } from '../../../components/flow/FlowDiagram';
import { useAssigneeLabel } from '../../../components/flow/useAssigneeLabel';
import { useIsMobile } from '../../../components/useIsMobile';
import { decimalToPercent } from '../../../lib/decimal';
import { END, stepStates } from '../../../lib/flowGraph';
import { formatDateTime } from '../../../lib/format';
import { formatMoney } from '../../../lib/money';
import { ApplicationStatusTag, RiskTag } from './shared';

/** The application's facts: borrower, product, amount, term, rate, collateral and people. */
export function FactsCard({ application: a }: { application: LoanApplication }) {
  const { t } = useTranslation();
  const { has } = useAccess();
  const guarantors = useQueries({
    queries: a.guarantorIds.map((id) => ({
      queryKey: ['customers', 'one', id, false],
      queryFn: () => unwrap(api.GET('/api/v1/customers/{id}', { params: { path: { id }, query: { reveal: false } } })),
      enabled: has(P.customerRead),
      staleTime: 60_000,
    })),
  });
  const line = useCreditLine(a.creditLineId ?? 0, has(P.creditLineRead) && a.creditLineId != null);
  const lineText = line.data ? `${line.data.line.lineNo}（${t('creditLines.availableShort', { amount: formatMoney(line.data.line.availableAmount) })}）` : t('applications.creditLineNo', { id: a.creditLineId });
  const customer = has(P.customerRead) ? <Link to={`/customers/individuals/${a.customerId}`}>{a.customerName}</Link> : a.customerName;
  return (
    <Card title={t('applications.facts')} className="section-card" size="small">
      <Descriptions bordered size="small" column={{ xs: 1, sm: 1, md: 2 }} className="detail-desc" data-testid="application-facts">
        <Descriptions.Item label={t('applications.applicationNo')}>
          <span className="mono">{a.applicationNo}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('common.status')}>
          <ApplicationStatusTag status={a.status} />
        </Descriptions.Item>
        <Descriptions.Item label={t('applications.customer')}>{customer}</Descriptions.Item>
        <Descriptions.Item label={t('applications.product')}>
          {a.productName} <Typography.Text type="secondary">V{a.productVersion}</Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('applications.amount')}>
          <strong>{formatMoney(a.amount)}</strong> {t('common.yuan')}
        </Descriptions.Item>
        <Descriptions.Item label={t('applications.termMonths')}>{t('applications.months', { count: a.termMonths })}</Descriptions.Item>
        <Descriptions.Item label={t('applications.method')}>{t(`products.methods.${a.method}`)}</Descriptions.Item>
        <Descriptions.Item label={t('applications.annualRate')}>{decimalToPercent(a.annualRate) ?? a.annualRate}%</Descriptions.Item>
        <Descriptions.Item label={t('applications.purpose')} span="filled">
          <span className="wrap-cell">{a.purpose}</span>
        </Descriptions.Item>
        {a.creditLineId != null && (
          <Descriptions.Item label={t('applications.creditLine')} span="filled">
            {has(P.creditLineRead) ? (
              <Link to={`/business/credit-lines/${a.creditLineId}`} data-testid="application-credit-line">
                {lineText}
              </Link>
            ) : (
              t('applications.creditLineNo', { id: a.creditLineId })
            )}
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('applications.guarantors')} span="filled">
          {a.guarantorIds.length === 0
            ? t('common.none')
            : a.guarantorIds.map((id, i) => <Tag key={id}>{guarantors[i]?.data?.name ?? `#${id}`}</Tag>)}
        </Descriptions.Item>
        <Descriptions.Item label={t('applications.createdBy')}>
          {a.createdByName} <Typography.Text type="secondary">{formatDateTime(a.createdAt)}</Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('applications.investigator')}>
          {a.investigatorName ?? '-'}
          {a.assignedAt && <Typography.Text type="secondary"> {formatDateTime(a.assignedAt)}</Typography.Text>}
        </Descriptions.Item>
        {a.decidedAt && <Descriptions.Item label={t('applications.decidedAt')}>{formatDateTime(a.decidedAt)}</Descriptions.Item>}
      </Descriptions>
    </Card>
  );
}

/** The risk screening run on submission. */
export function RiskCard({ application: a }: { application: LoanApplication }) {
  const { t } = useTranslation();
  return (
    <Card title={t('applications.riskResult')} className="section-card" size="small">
      {a.riskDecision ? (
        <Space orientation="vertical" size={4}>
          <RiskTag application={a} />
          {a.screeningId && (
            <Typography.Text type="secondary">{t('applications.screeningNo', { id: a.screeningId })}</Typography.Text>
          )}
        </Space>
      ) : (
        <Typography.Text type="secondary">{t('applications.riskPending')}</Typography.Text>
      )}
    </Card>
  );
}

/** The loan-to-value check (抵押率): each car's appraised value and the limit they give. */
export function CollateralCard({ collateral: c, amount }: { collateral: CollateralCheck; amount: string }) {
  const { t } = useTranslation();
  return (
    <Card
      title={t('applications.collateral')}
      className="section-card"
      size="small"
      extra={
        c.vehicles.length > 0 && (
          <Tag color={c.withinLimit ? 'success' : 'error'} data-testid="ltv-result">
            {c.withinLimit ? t('applications.withinLimit') : t('applications.overLimit')}
          </Tag>
        )
      }
    >
      {c.vehicles.length === 0 ? (
        <Alert type="warning" showIcon title={t('applications.noVehicle')} />
      ) : (
        <>
          <div className="table-scroll">
            <Table<VehicleValue>
              size="small"
              rowKey="vehicleId"
              pagination={false}
              dataSource={c.vehicles}
              scroll={{ x: 'max-content' }}
              columns={[
                { title: t('vehicles.vehicle'), dataIndex: 'description' },
                { title: t('vehicles.vin'), dataIndex: 'vin', render: (v: string) => <span className="mono">{v}</span> },
                {
                  title: t('applications.appraisedValue'),
                  dataIndex: 'appraisedValue',
                  align: 'right',
                  render: (v: string | null) => (v ? formatMoney(v) : <Tag color="warning">{t('applications.notAppraised')}</Tag>),
                },
              ]}
            />
          </div>
          <Descriptions size="small" column={{ xs: 1, sm: 2 }} className="ltv-figures">
            <Descriptions.Item label={t('applications.appraisedTotal')}>{formatMoney(c.appraisedTotal)}</Descriptions.Item>
            <Descriptions.Item label={t('applications.maxLtv')}>{decimalToPercent(c.maxLtv) ?? c.maxLtv}%</Descriptions.Item>
            <Descriptions.Item label={t('applications.productMax')}>{formatMoney(c.productMax)}</Descriptions.Item>
            {c.creditLineAvailable != null && (
              <Descriptions.Item label={t('applications.creditLineAvailable')}>{formatMoney(c.creditLineAvailable)}</Descriptions.Item>
            )}
            <Descriptions.Item label={t('applications.limit')}>
              <strong data-testid="ltv-limit">{formatMoney(c.limit)}</strong>
            </Descriptions.Item>
            <Descriptions.Item label={t('applications.amount')}>{formatMoney(amount)}</Descriptions.Item>
          </Descriptions>
          {c.missingAppraisals.length > 0 && <Alert type="warning" showIcon title={t('applications.missingAppraisals', { count: c.missingAppraisals.length })} />}
        </>
      )}
    </Card>
  );
}

/** Where an event sent the record: a step's name, the end, back to the applicant, a person. */
function useTargetName(instance: FlowInstance) {
  const { t } = useTranslation();
  const { has } = useAccess();
  // Older answers lack the transferee's name: then the user list (for those who may read it).
  const users = useAllUsers(has(P.userRead));
  return (to: string | null | undefined, toUserName?: string | null) => {
    if (!to) return null;
    if (to === END) return t('flows.end');
    if (to === 'applicant') return t('tasks.toApplicant');
    if (to.startsWith('user:')) {
      const id = Number(to.slice(5));
      return toUserName ?? users.data?.items.find((u) => u.id === id)?.displayName ?? `#${id}`;
    }
    return instance.graph.steps.find((s) => s.key === to)?.name ?? to;
  };
}

const EVENT_COLORS: Record<string, string> = { approve: 'green', reject: 'red', return: 'orange', transfer: 'blue', cancel: 'gray' };

/** The approval flow: the instance's graph with the steps passed and waiting, and its history. */
export function FlowCard({ flow }: { flow: FlowInstance | null | undefined }) {
  const { t } = useTranslation();
  const isMobile = useIsMobile();
  const baseLabel = useAssigneeLabel();
  // The waiting step names the people who may act on it now.
  const assigneeLabel = useCallback(
    (a: Assignee, stepKey: string) =>
      flow?.status === 'running' && stepKey === flow.currentStep && flow.candidateNames.length
        ? t('flows.candidatesShort', { names: flow.candidateNames.join('、') })
        : baseLabel(a),
    [flow, baseLabel, t],
  );
  const states = useMemo(() => (flow ? stepStates(flow, flow.graph) : new Map()), [flow]);
  const target = useTargetName(flow ?? ({ graph: { start: '', steps: [] } } as unknown as FlowInstance));
  if (!flow)
    return (
      <Card title={t('applications.approvalFlow')} className="section-card" size="small">
        <Typography.Text type="secondary">{t('applications.notInFlow')}</Typography.Text>
      </Card>
    );
  const current = flow.graph.steps.find((s) => s.key === flow.currentStep);
  return (
    <Card
      title={t('applications.approvalFlow')}
      className="section-card"
      size="small"
      extra={<Tag color={flow.status === 'approved' ? 'success' : flow.status === 'rejected' ? 'error' : 'processing'}>{t(`flows.instanceStatuses.${flow.status}`)}</Tag>}
    >
      <div className="flow-mini" style={{ height: isMobile ? 180 : 200 }} data-testid="flow-diagram">
        <FlowInstanceDiagram graph={flow.graph} states={states} assigneeLabel={assigneeLabel} />
      </div>
      {current && flow.status === 'running' && (
        <Alert
          type="info"
          showIcon
          className="flow-waiting"
          title={t('applications.waitingAt', { step: current.name })}
          description={
            current.assignee.kind === 'committee'
              ? t('applications.committeeVotes', { names: flow.candidateNames.join('、') })
              : flow.candidateNames.length
                ? t('applications.candidates', { names: flow.candidateNames.join('、') })
                : undefined
          }
        />
      )}
      <Typography.Title level={5} className="flow-history-title">
        {t('applications.approvalHistory')}
      </Typography.Title>
      <Timeline
        className="flow-history"
        data-testid="flow-events"
        items={flow.events.map((e) => ({
          color: EVENT_COLORS[e.action] ?? 'blue',
          content: (
            <div>
              <div>
                <strong>{t(`flows.actions.${e.action}`, { defaultValue: e.action })}</strong>
                {e.stepName && <span> · {e.stepName}</span>}
                {e.toStep && <span className="muted"> → {target(e.toStep, e.toUserName)}</span>}
              </div>
              <div className="muted">
                {e.actorName ?? '-'} · {formatDateTime(e.at)}
              </div>
              {e.comment && <div className="event-comment">{e.comment}</div>}
            </div>
          ),
        }))}
      />
    </Card>
  );
}

/** Every status change, who made it and when. */
export function TransitionsCard({ transitions }: { transitions: StatusChange[] }) {
  const { t } = useTranslation();
  return (
    <Card title={t('applications.statusHistory')} className="section-card" size="small">
      {transitions.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
      ) : (
        <Timeline
          data-testid="status-history"
          items={[...transitions].reverse().map((tr) => ({
            color: tr.toStatus === 'approved' ? 'green' : tr.toStatus === 'rejected' ? 'red' : tr.toStatus === 'returned' ? 'orange' : 'blue',
            content: (
              <div>
                <div>
                  {tr.fromStatus ? (
                    <>
                      {t(`applications.statuses.${tr.fromStatus}`)} → <ApplicationStatusTag status={tr.toStatus} />
                    </>
                  ) : (
                    <>
                      {t('applications.createdAs')} <ApplicationStatusTag status={tr.toStatus} />
                    </>
                  )}
                  <span className="muted"> {t(`applications.events.${tr.action}`, { defaultValue: tr.action })}</span>
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

/** The read-only body of an application, shared by its page and a reviewer's task. */
export function ApplicationBody({
  detail,
  investigation,
  contracts,
}: {
  detail: ApplicationDetail;
  investigation: React.ReactNode;
  /** The contracts section, once the application is approved. */
  contracts?: React.ReactNode;
}) {
  return (
    <div className="application-grid">
      <div className="application-main">
        {contracts}
        <FactsCard application={detail.application} />
        <CollateralCard collateral={detail.collateral} amount={detail.application.amount} />
        {investigation}
      </div>
      <div className="application-side">
        <RiskCard application={detail.application} />
        <FlowCard flow={detail.flow} />
        <TransitionsCard transitions={detail.transitions} />
      </div>
    </div>
  );
}
