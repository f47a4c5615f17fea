import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { api, ok, setCsrfToken } from '../api/client.ts';
import { showApiError } from '../components/api-errors.ts';
import { CenteredCard } from '../components/CenteredCard.tsx';
import { useI18n } from '../i18n/i18n.tsx';

interface Credentials {
  email: string;
  password: string;
  totp?: string;
}

/** Signs in and opens the console; the session API sets the HttpOnly cookie and answers the CSRF token. */
export async function signIn(credentials: Credentials): Promise<void> {
  const answer = await ok(api.POST('/api/v1/session', { body: credentials }));
  setCsrfToken(answer.csrfToken);
}

export default function LoginPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Credentials>();
  const [busy, setBusy] = useState(false);
  const [needsTotp, setNeedsTotp] = useState(false);
  const client = useQueryClient();

  const submit = async (values: Credentials) => {
    setBusy(true);
    try {
      await signIn(values);
      await client.invalidateQueries({ queryKey: ['me'] });
    } catch (err) {
      if ((err as { field?: string }).field === 'totp') setNeedsTotp(true);
      showApiError(form, err, ['email', 'password', 'totp'], (text) => message.error(text));
    } finally {
      setBusy(false);
    }
  };

  return (
    <CenteredCard title={t.signInTitle}>
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item name="email" label={t.email} rules={[{ required: true }]}>
          <Input autoComplete="username" />
        </Form.Item>
        <Form.Item name="password" label={t.password} rules={[{ required: true }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        {needsTotp && (
          <Form.Item name="totp" label={t.totp} rules={[{ required: true }]}>
            <Input inputMode="numeric" autoComplete="one-time-code" />
          </Form.Item>
        )}
        <Button type="primary" htmlType="submit" block loading={busy}>
          {t.signIn}
        </Button>
      </Form>
    </CenteredCard>
  );
}
