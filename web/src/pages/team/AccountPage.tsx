import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, QRCode, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, ok } from '../../api/client.ts';
import type { Me } from '../../api/types.ts';
import { showApiError } from '../../components/api-errors.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { PageHeader, useSignedIn } from './shared.tsx';

/** The signed-in person's own account: turning on (or replacing) the second factor. */
export default function AccountPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const me = useSignedIn();
  const client = useQueryClient();
  const [startForm] = Form.useForm<{ code?: string }>();
  const [confirmForm] = Form.useForm<{ code: string }>();
  const [setup, setSetup] = useState<{ secret: string; otpauthUrl: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const start = async ({ code }: { code?: string }) => {
    setBusy(true);
    try {
      const started = await ok(api.POST('/api/v1/me/totp', { body: code ? { code } : {} }));
      // Reset while still shown: the form is not on the page during the confirmation.
      startForm.resetFields();
      setSetup(started);
    } catch (err) {
      showApiError(startForm, err, ['code'], (text) => message.error(text));
    } finally {
      setBusy(false);
    }
  };
  const confirm = async ({ code }: { code: string }) => {
    setBusy(true);
    try {
      await ok(api.POST('/api/v1/me/totp/confirm', { body: { code } }));
      client.setQueryData<Me | null>(['me'], (current) => (current ? { ...current, totp: true } : current));
      confirmForm.resetFields();
      setSetup(null);
      message.success(t.twoFactorEnabled);
    } catch (err) {
      showApiError(confirmForm, err, ['code'], (text) => message.error(text));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <PageHeader title={t.menuAccount} />
      <Card title={<Space>{t.twoFactor}{me.totp ? <Tag color="green">{t.twoFactorOn}</Tag> : null}</Space>} style={{ maxWidth: 560 }}>
        <Typography.Paragraph type="secondary">{t.twoFactorHint}</Typography.Paragraph>
        {setup === null ? (
          <Form form={startForm} layout="vertical" onFinish={start}>
            {me.totp && (
              <Form.Item name="code" label={t.twoFactorCurrent} rules={[{ required: true }]}>
                <Input inputMode="numeric" autoComplete="one-time-code" maxLength={7} style={{ width: 160 }} />
              </Form.Item>
            )}
            <Button type="primary" htmlType="submit" loading={busy}>
              {t.twoFactorStart}
            </Button>
          </Form>
        ) : (
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Typography.Text>{t.twoFactorScan}</Typography.Text>
            <QRCode value={setup.otpauthUrl} size={200} data-testid="totp-qr" />
            <Typography.Text>
              {t.twoFactorSecret}: <Typography.Text code copyable>{setup.secret}</Typography.Text>
            </Typography.Text>
            <Form form={confirmForm} layout="vertical" onFinish={confirm}>
              <Form.Item name="code" label={t.twoFactorCode} rules={[{ required: true }]}>
                <Input inputMode="numeric" autoComplete="one-time-code" maxLength={7} style={{ width: 160 }} />
              </Form.Item>
              <Space>
                <Button type="primary" htmlType="submit" loading={busy}>
                  {t.twoFactorConfirm}
                </Button>
                <Button onClick={() => setSetup(null)}>{t.cancel}</Button>
              </Space>
            </Form>
          </Space>
        )}
      </Card>
    </Space>
  );
}
