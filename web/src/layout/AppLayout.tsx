import { useMemo, useState } from 'react';
import { Avatar, Badge, Button, Drawer, Dropdown, Layout, Menu, Tooltip, type MenuProps } from 'antd';
import {
  AccountBookOutlined,
  AlertOutlined,
  ApartmentOutlined,
  AuditOutlined,
  BankOutlined,
  BellOutlined,
  CarOutlined,
  DashboardOutlined,
  FileSearchOutlined,
  GlobalOutlined,
  KeyOutlined,
  LogoutOutlined,
  MenuFoldOutlined,
  MenuOutlined,
  MenuUnfoldOutlined,
  SolutionOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { locate, visibleMenu, type VisibleNode } from '../access/menu';
import { useAccess } from '../auth/hooks';
import { useLogout } from '../auth/useLogout';
import { useIsMobile } from '../components/useIsMobile';
import { useOpenTaskCount } from '../api/workflow';
import { P } from '../access/permissions';
import { BusinessDateTag } from '../pages/money/shared';
import { LanguageSwitch } from './LanguageSwitch';
import { Logo } from './Logo';

const ICONS: Record<string, React.ReactNode> = {
  home: <DashboardOutlined />,
  tasks: <AuditOutlined />,
  org: <ApartmentOutlined />,
  customers: <TeamOutlined />,
  business: <SolutionOutlined />,
  finance: <AccountBookOutlined />,
  funding: <BankOutlined />,
  appraisal: <FileSearchOutlined />,
  collateral: <CarOutlined />,
  postLoan: <AlertOutlined />,
};

type Item = Required<MenuProps>['items'][number];

function useMenuItems(nodes: VisibleNode[], openTasks: number): Item[] {
  const { t } = useTranslation();
  const toItem = (n: VisibleNode): Item => {
    const key = n.path ?? `area:${n.key}`;
    const text = t(n.label);
    const label = n.disabled ? (
      <Tooltip title={t('common.comingSoon')} placement="right">
        <span className="menu-soon" data-soon={n.key}>
          {text}
          <span className="menu-soon-badge">{t('menu.soonBadge')}</span>
        </span>
      </Tooltip>
    ) : n.key === 'tasks' && openTasks > 0 ? (
      <span className="menu-count">
        {text}
        <Badge count={openTasks} size="small" overflowCount={99} data-testid="menu-task-count" />
      </span>
    ) : (
      text
    );
    const icon = n.icon ? ICONS[n.icon] : undefined;
    if (n.children) return { key, icon, label, children: n.children.map(toItem) };
    return { key, icon, label, disabled: n.disabled, title: text };
  };
  return nodes.map(toItem);
}

export function AppLayout() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const { me, granted } = useAccess();
  const isMobile = useIsMobile();
  const logout = useLogout();
  const [collapsed, setCollapsed] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);

  const nodes = useMemo(() => visibleMenu(granted), [granted]);
  const openTasks = useOpenTaskCount(!!me).data ?? 0;
  const items = useMenuItems(nodes, openTasks);
  const { area, page } = locate(pathname);
  const selected = page?.path ?? area?.path ?? pathname;
  const [openKeys, setOpenKeys] = useState<string[]>(() => (area ? [`area:${area.key}`] : []));

  const menu = (
    <Menu
      theme="dark"
      mode="inline"
      items={items}
      selectedKeys={[selected]}
      openKeys={collapsed && !isMobile ? undefined : openKeys}
      onOpenChange={setOpenKeys}
      onClick={({ key }) => {
        if (key.startsWith('/')) {
          navigate(key);
          setDrawerOpen(false);
        }
      }}
    />
  );

  const userMenu: MenuProps['items'] = [
    { key: 'password', icon: <KeyOutlined />, label: t('header.changePassword'), onClick: () => navigate('/change-password') },
    { type: 'divider' },
    { key: 'logout', icon: <LogoutOutlined />, label: t('header.logout'), onClick: () => void logout() },
  ];

  return (
    <Layout className="app-layout">
      {!isMobile && (
        <Layout.Sider
          className="app-sider no-print"
          width={236}
          collapsible
          collapsed={collapsed}
          onCollapse={setCollapsed}
          trigger={null}
        >
          <Logo collapsed={collapsed} />
          {menu}
        </Layout.Sider>
      )}
      {isMobile && (
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          size={264}
          className="app-drawer"
          closable={false}
          styles={{ body: { padding: 0, background: '#001529' } }}
        >
          <Logo collapsed={false} />
          {menu}
        </Drawer>
      )}
      <Layout className="app-main">
        <Layout.Header className="app-header no-print">
          <Button
            type="text"
            className="app-header-trigger"
            aria-label={t('menu.openMenu')}
            data-testid="menu-toggle"
            icon={isMobile ? <MenuOutlined /> : collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
            onClick={() => (isMobile ? setDrawerOpen(true) : setCollapsed(!collapsed))}
          />
          {isMobile && <span className="app-header-title">{t('app.name')}</span>}
          <div className="app-header-right">
            {/* The business date matters to whoever moves money or reads the books. */}
            {!isMobile && (granted.has(P.loanRead) || granted.has(P.ledgerRead)) && (
              <span className="app-header-date">
                <BusinessDateTag />
              </span>
            )}
            <Tooltip title={t('tasks.inboxTooltip', { count: openTasks })}>
              <Button
                type="text"
                aria-label={t('menu.tasks')}
                data-testid="inbox-badge"
                onClick={() => navigate('/tasks')}
                icon={
                  <Badge count={openTasks} size="small" overflowCount={99}>
                    <BellOutlined className="inbox-bell" />
                  </Badge>
                }
              />
            </Tooltip>
            <LanguageSwitch icon={<GlobalOutlined />} />
            <Dropdown menu={{ items: userMenu }} placement="bottomRight" trigger={['click']}>
              <Button type="text" className="app-user" data-testid="user-menu">
                <Avatar size="small" icon={<UserOutlined />} className="app-user-avatar" />
                {!isMobile && <span className="app-user-name">{me?.displayName ?? me?.username}</span>}
              </Button>
            </Dropdown>
          </div>
        </Layout.Header>
        <Layout.Content className="app-content">
          <Outlet />
        </Layout.Content>
        <Layout.Footer className="app-footer no-print">{t('app.copyright')}</Layout.Footer>
      </Layout>
    </Layout>
  );
}
