import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api, ok } from '../api/client.ts';
import { showApiError } from '../components/api-errors.ts';
import { CenteredCard } from '../components/CenteredCard.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { signIn } from './LoginPage.tsx';

interface Owner {
  code: string;
  name: string;
  email: string;
  password: string;
}

/** The first run: the owner account, allowed by the one-time code from the server's log. */
export default function SetupPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Owner>();
  const [busy, setBusy] = useState(false);
  const client = useQueryClient();
  const navigate = useNavigate();

  const submit = async (owner: Owner) => {
    setBusy(true);
    try {
      await ok(api.POST('/api/v1/setup', { body: owner }));
      await signIn({ email: owner.email, password: owner.password });
      client.setQueryData(['setup'], false);
      await client.invalidateQueries({ queryKey: ['me'] });
      navigate('/codes', { replace: true });
    } catch (err) {
      showApiError(form, err, ['code', 'name', 'email', 'password'], (text) => message.error(text));
      // Someone else finished the setup meanwhile: sign in instead.
      if ((err as { status?: number }).status === 409) await client.invalidateQueries({ queryKey: ['setup'] });
    } finally {
      setBusy(false);
    }
  };

  return (
    <CenteredCard title={t.setupTitle}>
      <Alert type="info" showIcon title={t.setupHint} style={{ marginBottom: 16 }} />
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item name="code" label={t.setupCode} rules={[{ required: true }]}>
          <Input autoComplete="off" placeholder="XXXX-XXXX-XXXX" />
        </Form.Item>
        <Form.Item name="name" label={t.name} rules={[{ required: true }]}>
          <Input autoComplete="name" />
        </Form.Item>
        <Form.Item name="email" label={t.email} rules={[{ required: true }]}>
          <Input autoComplete="username" />
        </Form.Item>
        <Form.Item name="password" label={t.password} extra={t.passwordHint} rules={[{ required: true }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy}>
          {t.setupSubmit}
        </Button>
      </Form>
    </CenteredCard>
  );
}
