import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

export function StatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return status === 'active' ? (
    <Tag color="success">{t('status.active')}</Tag>
  ) : (
    <Tag color="default">{t(`status.${status}`, { defaultValue: status })}</Tag>
  );
}
