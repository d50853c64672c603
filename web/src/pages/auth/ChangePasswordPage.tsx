import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Space, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ApiError, translateError } from '../../api/errors';
import { mapProblemToFields } from '../../api/forms';
import { session } from '../../auth/session';
import { ME_KEY, useSession } from '../../auth/hooks';
import { useLogout } from '../../auth/useLogout';
import { passwordProblems } from '../../auth/passwordPolicy';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

export function ChangePasswordPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const s = useSession();
  const logout = useLogout();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const forced = s?.mustChangePassword ?? false;

  const onFinish = async ({ currentPassword, newPassword }: Values) => {
    setLoading(true);
    setError(null);
    try {
      const res = await unwrap(api.POST('/api/v1/auth/change-password', { body: { currentPassword, newPassword } }));
      queryClient.setQueryData(ME_KEY, res.user);
      session.fromLogin(res);
      message.success(t('auth.changePasswordOk'));
      navigate('/', { replace: true });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'wrong_current_password') {
        form.setFields([{ name: 'currentPassword', errors: [translateError(e, t, i18n)] }]);
      } else if (e instanceof ApiError && (e.code === 'password_too_weak' || e.code === 'password_reused')) {
        form.setFields([{ name: 'newPassword', errors: [translateError(e, t, i18n)] }]);
      } else if (e instanceof ApiError && e.fieldErrors.length) {
        form.setFields(mapProblemToFields(e, t, i18n).fields as Parameters<typeof form.setFields>[0]);
      } else {
        setError(translateError(e, t, i18n));
      }
    } finally {
      setLoading(false);
    }
  };

  return (
    <div className="auth-page">
      <Card className="auth-card" title={t('auth.changePasswordTitle')}>
        {forced && <Alert type="warning" showIcon title={t('auth.forcedNotice')} className="auth-alert" data-testid="forced-notice" />}
        {error && <Alert type="error" showIcon title={error} className="auth-alert" />}
        <Form<Values> name="changePassword" form={form} layout="vertical" onFinish={onFinish} requiredMark={false}>
          <Form.Item name="currentPassword" label={t('auth.currentPassword')} rules={[{ required: true, message: t('validation.required') }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Form.Item
            name="newPassword"
            label={t('auth.newPassword')}
            extra={t('auth.passwordPolicy')}
            dependencies={['currentPassword']}
            rules={[
              { required: true, message: t('validation.required') },
              ({ getFieldValue }) => ({
                validator(_, value: string | undefined) {
                  if (!value) return Promise.resolve();
                  const problems = passwordProblems(value, s?.username, getFieldValue('currentPassword'));
                  return problems.length ? Promise.reject(new Error(problems.map((p) => t(p)).join('；'))) : Promise.resolve();
                },
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            name="confirmPassword"
            label={t('auth.confirmPassword')}
            dependencies={['newPassword']}
            rules={[
              { required: true, message: t('validation.required') },
              ({ getFieldValue }) => ({
                validator(_, value) {
                  return !value || getFieldValue('newPassword') === value
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('validation.passwordMismatch')));
                },
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Space className="form-actions">
            <Button type="primary" htmlType="submit" loading={loading} data-testid="change-password-submit">
              {t('common.submit')}
            </Button>
            {forced ? (
              <Button onClick={() => void logout()}>{t('header.logout')}</Button>
            ) : (
              <Button onClick={() => navigate(-1)}>{t('common.cancel')}</Button>
            )}
          </Space>
        </Form>
      </Card>
      <Typography.Text type="secondary" className="auth-footer">
        {t('app.copyright')}
      </Typography.Text>
    </div>
  );
}
