import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ContractStatus } from '../../../api/contracts';
import { CONTRACT_STATUS_COLORS } from '../../../lib/contract';

export function ContractStatusTag({ status }: { status: ContractStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={CONTRACT_STATUS_COLORS[status]} data-testid="contract-status">
      {t(`contracts.statuses.${status}`)}
    </Tag>
  );
}
