import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, ColorPicker, Flex, Form, InputNumber, Popconfirm, Select, Space, Switch, Upload } from 'antd';
import { useDeferredValue, useState } from 'react';
import { api, ok, sendFile } from '../../api/client.ts';
import type { QrOptions } from '../../api/types.ts';
import type { Messages } from '../../i18n/messages.ts';
import { useImage, useLogo } from './code-images.ts';

type Ecl = NonNullable<QrOptions['ecl']>;

/** What the API takes as a logo (it stores a PNG of it). */
const LOGO_ACCEPT = 'image/png,image/jpeg,image/webp,image/gif,image/svg+xml';

/** The QR code's look, previewed live from the API's own renderer, and downloaded as PNG or SVG with the same options. */
export function QrDesigner({ id, name, t }: { id: string; name: string; t: Messages }) {
  const { message } = App.useApp();
  const client = useQueryClient();
  const [size, setSize] = useState(512);
  const [margin, setMargin] = useState(4);
  const [ecl, setEcl] = useState<Ecl>('M');
  const [fg, setFg] = useState('#000000');
  const [bg, setBg] = useState('#ffffff');
  const [withLogo, setWithLogo] = useState(false);
  const logo = useLogo(id);
  const logoOn = withLogo && logo.data?.present === true;
  const query = (format: 'png' | 'svg', previewSize?: number) =>
    `/api/v1/codes/${id}/qr.${format}?` +
    new URLSearchParams({
      size: String(previewSize ?? size), margin: String(margin), ecl, fg: fg.replace('#', ''), bg: bg.replace('#', ''), logo: String(logoOn),
    });
  // The preview follows the options without a request per keystroke.
  const preview = useImage(useDeferredValue(query('svg', 256)), logo.data?.stamp ?? 0);

  const changed = async () => {
    await client.invalidateQueries({ queryKey: ['logo', id] });
  };
  const upload = async (file: File) => {
    try {
      await sendFile('PUT', `/api/v1/codes/${id}/logo`, file);
      await changed();
      setWithLogo(true);
      message.success(t.logoUploaded);
    } catch (err) {
      message.error((err as Error).message);
    }
  };
  const remove = async () => {
    try {
      await ok(api.DELETE('/api/v1/codes/{id}/logo', { params: { path: { id } } }));
      await changed();
      setWithLogo(false);
    } catch (err) {
      message.error((err as Error).message);
    }
  };

  return (
    <Flex wrap gap={24}>
      <Space orientation="vertical">
        <img
          src={preview.data}
          alt="QR"
          width={256}
          height={256}
          style={{ border: '1px solid #f0f0f0', maxWidth: '100%', height: 'auto' }}
          data-testid="qr-preview"
        />
        {preview.isError && <Alert type="error" showIcon title={preview.error.message} />}
      </Space>
      <Form layout="vertical" style={{ minWidth: 240 }}>
        <Form.Item label={t.qrSize}>
          <InputNumber min={64} max={4096} step={64} value={size} onChange={(v) => setSize(v ?? 512)} />
        </Form.Item>
        <Form.Item label={t.qrMargin}>
          <InputNumber min={0} max={16} value={margin} onChange={(v) => setMargin(v ?? 4)} />
        </Form.Item>
        <Form.Item label={t.qrEcl} extra={logoOn ? t.logoForcesH : undefined}>
          <Select<Ecl>
            value={logoOn ? 'H' : ecl}
            disabled={logoOn}
            onChange={setEcl}
            style={{ width: 120 }}
            options={(['L', 'M', 'Q', 'H'] as const).map((v) => ({ value: v, label: v }))}
          />
        </Form.Item>
        <Space>
          <Form.Item label={t.qrFg}>
            <ColorPicker value={fg} disabledAlpha onChangeComplete={(c) => setFg(c.toHexString())} />
          </Form.Item>
          <Form.Item label={t.qrBg}>
            <ColorPicker value={bg} disabledAlpha onChangeComplete={(c) => setBg(c.toHexString())} />
          </Form.Item>
        </Space>
        <Form.Item label={t.logo} extra={t.logoHint}>
          <Space wrap>
            <Switch checked={logoOn} disabled={!logo.data?.present} onChange={setWithLogo} data-testid="logo-switch" />
            <Upload accept={LOGO_ACCEPT} showUploadList={false} beforeUpload={(file) => (void upload(file), false)}>
              <Button data-testid="logo-upload">{logo.data?.present ? t.logoReplace : t.logoUpload}</Button>
            </Upload>
            {logo.data?.present && (
              <Popconfirm title={t.logoRemoveConfirm} onConfirm={remove}>
                <Button danger>{t.logoRemove}</Button>
              </Popconfirm>
            )}
          </Space>
        </Form.Item>
        <Space>
          <Button type="primary" href={query('png')} download={`${name}.png`}>
            {t.download} PNG
          </Button>
          <Button href={query('svg')} download={`${name}.svg`}>
            {t.download} SVG
          </Button>
        </Space>
      </Form>
    </Flex>
  );
}
