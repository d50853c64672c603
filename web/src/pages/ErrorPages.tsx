import { Button, Result } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';

export function ForbiddenPage() {
  const { t } = useTranslation();
  return (
    <Result
      status="403"
      title="403"
      subTitle={t('errorPage.forbidden')}
      extra={<Link to="/"><Button type="primary">{t('errorPage.backHome')}</Button></Link>}
    />
  );
}

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Result
      status="404"
      title="404"
      subTitle={t('errorPage.notFound')}
      extra={<Link to="/"><Button type="primary">{t('errorPage.backHome')}</Button></Link>}
    />
  );
}
