import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { GlobalOutlined, LockOutlined, UserOutlined } from '@ant-design/icons';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { translateError } from '../../api/errors';
import { session } from '../../auth/session';
import { ME_KEY, useSession } from '../../auth/hooks';
import { LanguageSwitch } from '../../layout/LanguageSwitch';

interface Values {
  username: string;
  password: string;
}

/** Only same-site paths are followed after sign-in, never another origin. */
function safeRedirect(target: string | null): string {
  return target && target.startsWith('/') && !target.startsWith('//') ? target : '/';
}

export function LoginPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const current = useSession();
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  if (current) return <Navigate to={current.mustChangePassword ? '/change-password' : safeRedirect(params.get('redirect'))} replace />;

  const onFinish = async (values: Values) => {
    setLoading(true);
    setError(null);
    try {
      const res = await unwrap(api.POST('/api/v1/auth/login', { body: values }));
      queryClient.clear();
      if (!res.mustChangePassword) queryClient.setQueryData(ME_KEY, res.user);
      session.fromLogin(res);
      navigate(res.mustChangePassword ? '/change-password' : safeRedirect(params.get('redirect')), { replace: true });
    } catch (e) {
      setError(translateError(e, t, i18n));
    } finally {
      setLoading(false);
    }
  };

  return (
    <div className="auth-page">
      <div className="auth-lang">
        <LanguageSwitch icon={<GlobalOutlined />} />
      </div>
      <div className="auth-brand">
        <img src="/favicon.svg" alt="" width={44} height={44} />
        <div>
          <Typography.Title level={3} className="auth-brand-name">
            {t('app.name')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('app.tagline')}</Typography.Text>
        </div>
      </div>
      <Card className="auth-card" title={t('auth.welcome')}>
        {error && <Alert type="error" showIcon title={error} className="auth-alert" data-testid="login-error" />}
        <Form<Values> name="login" layout="vertical" onFinish={onFinish} requiredMark={false} size="large">
          <Form.Item name="username" label={t('auth.username')} rules={[{ required: true, message: t('validation.required') }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label={t('auth.password')} rules={[{ required: true, message: t('validation.required') }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={loading} data-testid="login-submit">
            {t('auth.login')}
          </Button>
        </Form>
      </Card>
      <Typography.Text type="secondary" className="auth-footer">
        {t('app.copyright')}
      </Typography.Text>
    </div>
  );
}
