import { useState } from 'react';
import { Alert, Button, Card, Descriptions, Empty, Space, Spin } from 'antd';
import { AuditOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { translateError } from '../../../api/errors';
import { useDisbursement } from '../../../api/finance';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { PageContainer } from '../../../components/PageContainer';
import { checkerState } from '../../../lib/finance';
import { formatDateTime } from '../../../lib/format';
import { CheckDrawer } from '../CheckDrawer';
import { Amount, DisbursementStatusTag, VoucherLink } from '../shared';

/** 放款详情: the payment as registered, who registered it and who reviewed it, and its voucher. */
export default function DisbursementDetailPage() {
  const { t, i18n } = useTranslation();
  const { id: idParam } = useParams();
  const id = Number(idParam);
  const { me, has } = useAccess();
  const detail = useDisbursement(id);
  const [checking, setChecking] = useState(false);
  if (detail.isPending)
    return (
      <PageContainer title={t('money.disbursementTitle')}>
        <Spin />
      </PageContainer>
    );
  if (detail.isError || !detail.data)
    return (
      <PageContainer title={t('money.disbursementTitle')}>
        <Empty description={translateError(detail.error, t, i18n)} />
      </PageContainer>
    );
  const d = detail.data;
  const state = checkerState(d, me?.id, has(P.disbursementReview));
  return (
    <PageContainer
      title={`${t('money.disbursementTitle')} · ${d.contractNo}`}
      subtitle={d.customerName}
      extra={
        <Space wrap>
          <DisbursementStatusTag status={d.status} />
          {state === 'check' && (
            <Button type="primary" icon={<AuditOutlined />} onClick={() => setChecking(true)} data-testid="disbursement-review">
              {t('money.review')}
            </Button>
          )}
        </Space>
      }
    >
      {state === 'own' && <Alert className="section-card" type="info" showIcon title={t('money.ownRegistration')} />}
      {d.status === 'rejected' && (
        <Alert className="section-card" type="error" showIcon title={t('money.rejectedBecause', { reason: d.reviewComment ?? '-' })} />
      )}
      <Card className="section-card" size="small" title={t('money.disbursementFacts')}>
        <Descriptions bordered size="small" column={{ xs: 1, sm: 1, md: 2 }} className="detail-desc" data-testid="disbursement-facts">
          <Descriptions.Item label={t('money.amount')}>
            <Amount value={d.amount} strong /> {t('common.yuan')}
          </Descriptions.Item>
          <Descriptions.Item label={t('money.valueDate')}>{d.valueDate}</Descriptions.Item>
          <Descriptions.Item label={t('money.contractNo')}>
            {has(P.contractRead) ? (
              <Link to={`/business/contracts/${d.contractId}`} className="mono">
                {d.contractNo}
              </Link>
            ) : (
              <span className="mono">{d.contractNo}</span>
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('money.loanNo')}>
            {d.loanId && d.loanNo ? (
              <Link to={`/finance/loans/${d.loanId}`} className="mono" data-testid="disbursement-loan">
                {d.loanNo}
              </Link>
            ) : (
              '-'
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('money.customer')}>{d.customerName}</Descriptions.Item>
          <Descriptions.Item label={t('money.customerAccount')}>{d.customerAccount}</Descriptions.Item>
          <Descriptions.Item label={t('money.payingAccount')}>
            {d.fundAccountCode} {d.fundAccountName}
          </Descriptions.Item>
          <Descriptions.Item label={t('money.reference')}>
            <span className="mono">{d.reference}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('money.maker')}>{d.registeredByName}</Descriptions.Item>
          <Descriptions.Item label={t('money.registeredAt')}>{formatDateTime(d.registeredAt)}</Descriptions.Item>
          <Descriptions.Item label={t('money.checker')}>
            <span data-testid="disbursement-checker">{d.reviewedByName ?? t('money.notChecked')}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('money.checkedAt')}>{formatDateTime(d.reviewedAt)}</Descriptions.Item>
          {d.reviewComment && (
            <Descriptions.Item label={t('money.comment')} span="filled">
              <span className="wrap-cell">{d.reviewComment}</span>
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t('money.voucher')} span="filled">
            <VoucherLink id={d.voucherId} />
          </Descriptions.Item>
        </Descriptions>
      </Card>
      {checking && <CheckDrawer target={{ kind: 'disbursement', item: d }} onClose={() => setChecking(false)} />}
    </PageContainer>
  );
}
