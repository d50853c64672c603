import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { Spin } from 'antd';
import { useAccess, useMe, useSession } from './hooks';
import { ForbiddenPage } from '../pages/ErrorPages';

/**
 * Lets signed-in users through. Until a forced password change is done, every page but the
 * change-password page sends the user there.
 */
export function RequireAuth({ children, allowPasswordChange = false }: { children: ReactNode; allowPasswordChange?: boolean }) {
  const s = useSession();
  const location = useLocation();
  const me = useMe();
  if (!s) {
    const redirect = location.pathname + location.search;
    const to = redirect === '/' ? '/login' : `/login?redirect=${encodeURIComponent(redirect)}`;
    return <Navigate to={to} replace />;
  }
  const mustChange = s.mustChangePassword || me.data?.mustChangePassword === true;
  if (mustChange && !allowPasswordChange) return <Navigate to="/change-password" replace />;
  if (!mustChange && !allowPasswordChange && me.isPending) {
    return (
      <div className="page-loading full">
        <Spin size="large" />
      </div>
    );
  }
  return <>{children}</>;
}

export function RequirePermission({ permission, children }: { permission: string; children: ReactNode }) {
  const { has } = useAccess();
  return has(permission) ? <>{children}</> : <ForbiddenPage />;
}
