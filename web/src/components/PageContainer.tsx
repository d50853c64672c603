import { useEffect, type ReactNode } from 'react';
import { Breadcrumb, Typography } from 'antd';
import { HomeOutlined } from '@ant-design/icons';
import { Link, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import { locate } from '../access/menu';

interface Props {
  title: string;
  subtitle?: string;
  extra?: ReactNode;
  children: ReactNode;
  className?: string;
}

/** Breadcrumb, title, actions and content: the frame of every page. */
export function PageContainer({ title, subtitle, extra, children, className }: Props) {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const { area, page } = locate(pathname);

  useEffect(() => {
    document.title = `${title} · ${t('app.name')}`;
  }, [title, t]);

  const items = [{ title: <Link to="/" aria-label={t('common.home')}><HomeOutlined /></Link> }];
  if (area && area.key !== 'home') items.push({ title: <span>{t(area.label)}</span> });
  if (page) items.push({ title: <span>{t(page.label)}</span> });

  return (
    <div className={`page ${className ?? ''}`}>
      <div className="page-header no-print">
        <Breadcrumb items={items} className="page-breadcrumb" />
        <div className="page-heading">
          <div className="page-title-block">
            <Typography.Title level={4} className="page-title">
              {title}
            </Typography.Title>
            {subtitle && <Typography.Text type="secondary" className="page-subtitle">{subtitle}</Typography.Text>}
          </div>
          {extra && <div className="page-extra">{extra}</div>}
        </div>
      </div>
      <div className="page-body">{children}</div>
    </div>
  );
}
