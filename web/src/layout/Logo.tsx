import { useTranslation } from 'react-i18next';

export function Logo({ collapsed }: { collapsed: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="app-logo">
      <img src="/favicon.svg" alt="" width={28} height={28} />
      {!collapsed && <span className="app-logo-text">{t('app.name')}</span>}
    </div>
  );
}
