import { Card, Col, Row, Space, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { MENU, visibleMenu } from '../access/menu';
import { useAccess } from '../auth/hooks';
import { PageContainer } from '../components/PageContainer';

export function HomePage() {
  const { t } = useTranslation();
  const { me, granted } = useAccess();
  const visible = visibleMenu(granted);
  const links = visible.flatMap((n) => (n.children ?? []).filter((c) => !c.disabled && c.path));

  return (
    <PageContainer title={t('menu.home')} subtitle={t('app.tagline')}>
      <Card className="section-card">
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {t('home.greeting', { name: me?.displayName ?? me?.username ?? '' })}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('home.intro')}</Typography.Paragraph>
        <Space wrap>
          <span>{t('home.roles')}：</span>
          {me?.roles.map((r) => <Tag key={r.id} color="blue">{r.name}</Tag>)}
          <span style={{ marginLeft: 12 }}>{t('home.dataScope')}：</span>
          {me && <Tag>{t(`dataScope.${me.dataScope}`)}</Tag>}
        </Space>
      </Card>

      {links.length > 0 && (
        <Card title={t('home.quickLinks')} className="section-card">
          <Row gutter={[12, 12]}>
            {links.map((l) => (
              <Col key={l.key} xs={12} sm={8} lg={6} xl={4}>
                <Link to={l.path!} className="quick-link">
                  {t(l.label)}
                </Link>
              </Col>
            ))}
          </Row>
        </Card>
      )}

      <Card title={t('home.areas')} className="section-card">
        <Row gutter={[12, 12]}>
          {MENU.filter((a) => !a.path).map((area, i) => {
            const pagesBuilt = (area.children ?? []).filter((c) => c.built).length;
            const pagesAll = (area.children ?? []).length;
            const state = !area.built ? 'soon' : pagesBuilt < pagesAll ? 'partial' : 'online';
            return (
              <Col key={area.key} xs={24} sm={12} lg={6}>
                <div className={`area-tile area-${state}`}>
                  <span className="area-index">{i + 1}</span>
                  <span className="area-name">{t(area.label)}</span>
                  <Tag color={state === 'online' ? 'success' : state === 'partial' ? 'processing' : 'default'}>
                    {state === 'soon' ? t('common.comingSoon') : t(`home.${state}`)}
                  </Tag>
                </div>
              </Col>
            );
          })}
        </Row>
      </Card>
    </PageContainer>
  );
}
