import { useState } from 'react';
import { Alert, Button, Card, Descriptions, Empty, Space, Spin, Table, Typography } from 'antd';
import { AuditOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { translateError } from '../../../api/errors';
import { useRepayment, type AllocationComponent, type AppliedLine, type PaymentOutcome } from '../../../api/finance';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { PageContainer } from '../../../components/PageContainer';
import { checkerState, isCreditApplication } from '../../../lib/finance';
import { formatDateTime } from '../../../lib/format';
import { CheckDrawer } from '../CheckDrawer';
import { Amount, RepaymentStatusTag, useMakerName, VoucherLink } from '../shared';

const COMPONENTS: AllocationComponent[] = ['fees', 'penalty', 'compound', 'interest', 'principal'];

/** 还款冲抵明细: what the payment settled, installment by installment, and the credit balance. */
export function AllocationCard({ outcome: o }: { outcome: PaymentOutcome }) {
  const { t } = useTranslation();
  return (
    <Card className="section-card" size="small" title={t('money.allocation')} data-testid="repayment-allocation">
      <div className="figure-grid">
        {COMPONENTS.map((c) => (
          <div key={c} className="figure" data-testid={`allocation-${c}`}>
            <div className="figure-label">{t(`money.components.${c}`)}</div>
            <div className="figure-value">
              <Amount value={o.totals[c]} />
            </div>
          </div>
        ))}
        <div className="figure" data-testid="allocation-credit-before">
          <div className="figure-label">{t('money.creditBefore')}</div>
          <div className="figure-value">
            <Amount value={o.creditBefore} />
          </div>
        </div>
        <div className="figure figure-strong" data-testid="allocation-credit-after">
          <div className="figure-label">{t('money.creditAfter')}</div>
          <div className="figure-value">
            <Amount value={o.creditAfter} />
          </div>
        </div>
      </div>
      {o.prepayment && (
        <Alert
          className="check-note"
          type="info"
          showIcon
          data-testid="allocation-prepayment"
          title={t('money.prepaymentApplied', {
            principal: o.prepayment.prepaidPrincipal,
            fee: o.prepayment.fee,
            installment: o.prepayment.installmentAfter,
            periods: o.prepayment.periodsAfter,
            maturity: o.prepayment.maturityAfter,
          })}
        />
      )}
      {o.lines.length === 0 ? (
        <Typography.Paragraph type="secondary" data-testid="allocation-none">
          {t('money.nothingApplied')}
        </Typography.Paragraph>
      ) : (
        <div className="table-scroll">
          <Table<AppliedLine>
            size="small"
            rowKey={(l) => `${l.period}-${l.component}`}
            dataSource={o.lines}
            pagination={false}
            columns={[
              { title: t('calculator.period'), dataIndex: 'period', align: 'center', width: 72 },
              { title: t('money.component'), dataIndex: 'component', render: (c: AllocationComponent) => t(`money.components.${c}`) },
              { title: t('money.amount'), dataIndex: 'amount', align: 'right', render: (v: string) => <Amount value={v} /> },
            ]}
          />
        </div>
      )}
    </Card>
  );
}

/** 还款详情: the money as registered, its maker and checker, how it was applied, and its voucher. */
export default function RepaymentDetailPage() {
  const { t, i18n } = useTranslation();
  const { id: idParam } = useParams();
  const id = Number(idParam);
  const { me, has } = useAccess();
  const maker = useMakerName();
  const detail = useRepayment(id);
  const [checking, setChecking] = useState(false);
  if (detail.isPending)
    return (
      <PageContainer title={t('money.repaymentTitle')}>
        <Spin />
      </PageContainer>
    );
  if (detail.isError || !detail.data)
    return (
      <PageContainer title={t('money.repaymentTitle')}>
        <Empty description={translateError(detail.error, t, i18n)} />
      </PageContainer>
    );
  const r = detail.data;
  const state = checkerState(r, me?.id, has(P.repaymentConfirm));
  return (
    <PageContainer
      title={`${t('money.repaymentTitle')} · ${r.loanNo}`}
      subtitle={r.customerName}
      extra={
        <Space wrap>
          <RepaymentStatusTag status={r.status} />
          {state === 'check' && (
            <Button type="primary" icon={<AuditOutlined />} onClick={() => setChecking(true)} data-testid="repayment-confirm">
              {t('money.confirm')}
            </Button>
          )}
        </Space>
      }
    >
      {isCreditApplication(r) && (
        <Alert className="section-card" type="info" showIcon title={t('money.creditApplicationNote')} data-testid="repayment-from-credit" />
      )}
      {state === 'own' && <Alert className="section-card" type="info" showIcon title={t('money.ownRegistration')} />}
      {r.status === 'rejected' && (
        <Alert className="section-card" type="error" showIcon title={t('money.rejectedBecause', { reason: r.reviewComment ?? '-' })} />
      )}
      <Card className="section-card" size="small" title={t('money.repaymentFacts')}>
        <Descriptions bordered size="small" column={{ xs: 1, sm: 1, md: 2 }} className="detail-desc" data-testid="repayment-facts">
          <Descriptions.Item label={t('money.amount')}>
            <Amount value={r.amount} strong /> {t('common.yuan')}
          </Descriptions.Item>
          <Descriptions.Item label={t('money.arrivedOn')}>{r.valueDate}</Descriptions.Item>
          <Descriptions.Item label={t('money.loanNo')}>
            <Link to={`/finance/loans/${r.loanId}`} className="mono" data-testid="repayment-loan">
              {r.loanNo}
            </Link>
          </Descriptions.Item>
          <Descriptions.Item label={t('money.customer')}>{r.customerName}</Descriptions.Item>
          <Descriptions.Item label={t('money.kind')}>{t(`money.kinds.${r.kind}`)}</Descriptions.Item>
          {r.prepaidPrincipal && (
            <Descriptions.Item label={t('money.prepaidPrincipal')}>
              <Amount value={r.prepaidPrincipal} /> · {r.reamortisation && t(`money.reamortisations.${r.reamortisation}`)}
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t('money.channel')}>{t(`money.channels.${r.channel}`)}</Descriptions.Item>
          <Descriptions.Item label={t('money.receivingAccount')}>
            {r.fundAccountCode} {r.fundAccountName}
          </Descriptions.Item>
          <Descriptions.Item label={t('money.repaymentReference')}>
            <span className="mono">{r.reference}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('money.maker')}>{maker(r)}</Descriptions.Item>
          <Descriptions.Item label={t('money.registeredAt')}>{formatDateTime(r.registeredAt)}</Descriptions.Item>
          <Descriptions.Item label={t('money.checker')}>
            <span data-testid="repayment-checker">{r.confirmedByName ?? t('money.notChecked')}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('money.checkedAt')}>{formatDateTime(r.confirmedAt)}</Descriptions.Item>
          {r.reviewComment && (
            <Descriptions.Item label={t('money.comment')} span="filled">
              <span className="wrap-cell">{r.reviewComment}</span>
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t('money.voucher')} span="filled">
            <VoucherLink id={r.voucherId} />
          </Descriptions.Item>
        </Descriptions>
      </Card>
      {r.allocation && <AllocationCard outcome={r.allocation} />}
      {checking && <CheckDrawer target={{ kind: 'repayment', item: r }} onClose={() => setChecking(false)} />}
    </PageContainer>
  );
}
