import { Button } from 'antd';
import { BankOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import type { Contract } from '../../../api/contracts';
import { useContractCollateral } from '../../../api/securing';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { canRegisterDisbursement } from '../../../lib/finance';
import { DisbursementStatusTag } from '../shared';

/**
 * On the contract page: its disbursement once registered (link and status), else the way to
 * register it (放款登记) when the contract is signed and its cars are secured.
 */
export function ContractDisbursement({ contract: c }: { contract: Contract }) {
  const { t } = useTranslation();
  const { granted, has } = useAccess();
  const signed = c.status === 'signed';
  const collateral = useContractCollateral(c.id, signed);
  const existing = useQuery({
    queryKey: ['finance', 'disbursements', 'of-contract', c.id],
    queryFn: async () => {
      const page = await unwrap(api.GET('/api/v1/disbursements', { params: { query: { q: c.contractNo, page: 1, pageSize: 20 } } }));
      return page.items.find((d) => d.contractId === c.id && d.status !== 'rejected') ?? null;
    },
    enabled: signed && has(P.loanRead),
  });
  if (!signed) return null;
  if (existing.data)
    return (
      <Link to={`/money/disbursements/${existing.data.id}`} data-testid="contract-disbursement">
        <Button icon={<BankOutlined />}>
          {t('money.disbursementOfContract')} <DisbursementStatusTag status={existing.data.status} />
        </Button>
      </Link>
    );
  if (existing.isLoading || !canRegisterDisbursement(c.status, collateral.data?.readiness.ready, granted)) return null;
  return (
    <Link to={`/money/disbursements/new?contractId=${c.id}`}>
      <Button type="primary" icon={<BankOutlined />} data-testid="contract-disburse">
        {t('money.registerDisbursement')}
      </Button>
    </Link>
  );
}
