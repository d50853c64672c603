import type { ReactNode } from 'react';
import { Button, Dropdown } from 'antd';
import { useTranslation } from 'react-i18next';
import { setLanguage, type Language } from '../i18n';

const LABELS: Record<Language, string> = { 'zh-CN': '简体中文', 'en-US': 'English' };

export function LanguageSwitch({ icon }: { icon?: ReactNode }) {
  const { i18n, t } = useTranslation();
  const current = (i18n.language as Language) in LABELS ? (i18n.language as Language) : 'zh-CN';
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        selectable: true,
        selectedKeys: [current],
        items: (Object.keys(LABELS) as Language[]).map((lang) => ({ key: lang, label: LABELS[lang] })),
        onClick: ({ key }) => setLanguage(key as Language),
      }}
    >
      <Button type="text" icon={icon} aria-label={t('header.switchLanguage')} data-testid="lang-switch">
        {current === 'zh-CN' ? '中' : 'EN'}
      </Button>
    </Dropdown>
  );
}
