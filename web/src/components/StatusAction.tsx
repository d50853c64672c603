import { Button, Popconfirm } from 'antd';
import { useTranslation } from 'react-i18next';

interface Props {
  name: string;
  status: string;
  loading?: boolean;
  onToggle: (action: 'disable' | 'enable') => void;
}

/** "Disable"/"Enable" link with a confirmation. */
export function StatusAction({ name, status, loading, onToggle }: Props) {
  const { t } = useTranslation();
  const action = status === 'active' ? 'disable' : 'enable';
  return (
    <Popconfirm
      title={t(action === 'disable' ? 'common.confirmDisable' : 'common.confirmEnable', { name })}
      onConfirm={() => onToggle(action)}
      okText={t('common.ok')}
      cancelText={t('common.cancel')}
    >
      <Button type="link" size="small" danger={action === 'disable'} loading={loading}>
        {t(action === 'disable' ? 'common.disable' : 'common.enable')}
      </Button>
    </Popconfirm>
  );
}
