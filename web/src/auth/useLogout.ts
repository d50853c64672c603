import { useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { session } from './session';

export function useLogout() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const { t } = useTranslation();
  return async () => {
    const s = session.get();
    if (s) {
      // Revoke the refresh token on the server; signing out locally proceeds regardless.
      await api.POST('/api/v1/auth/logout', { body: { refreshToken: s.refreshToken } }).catch(() => undefined);
    }
    session.clear();
    queryClient.clear();
    navigate('/login', { replace: true });
    message.success(t('header.loggedOut'));
  };
}
