import { Button, ColorPicker, Flex, Form, InputNumber, Select, Space } from 'antd';
import { useDeferredValue, useState } from 'react';
import type { QrOptions } from '../../api/types.ts';
import type { Messages } from '../../i18n/messages.ts';

type Ecl = NonNullable<QrOptions['ecl']>;

/** The QR code's look, previewed live from the API's own renderer, and downloaded as PNG or SVG with the same options. */
export function QrDesigner({ id, name, t }: { id: string; name: string; t: Messages }) {
  const [size, setSize] = useState(512);
  const [margin, setMargin] = useState(4);
  const [ecl, setEcl] = useState<Ecl>('M');
  const [fg, setFg] = useState('#000000');
  const [bg, setBg] = useState('#ffffff');
  const query = (format: 'png' | 'svg', previewSize?: number) =>
    `/api/v1/codes/${id}/qr.${format}?` +
    new URLSearchParams({ size: String(previewSize ?? size), margin: String(margin), ecl, fg: fg.replace('#', ''), bg: bg.replace('#', '') });
  // The preview follows the options without a request per keystroke.
  const preview = useDeferredValue(query('svg', 256));
  return (
    <Flex wrap gap={24}>
      <img src={preview} alt="QR" width={256} height={256} style={{ border: '1px solid #f0f0f0', maxWidth: '100%', height: 'auto' }} data-testid="qr-preview" />
      <Form layout="vertical" style={{ minWidth: 240 }}>
        <Form.Item label={t.qrSize}>
          <InputNumber min={64} max={4096} step={64} value={size} onChange={(v) => setSize(v ?? 512)} />
        </Form.Item>
        <Form.Item label={t.qrMargin}>
          <InputNumber min={0} max={16} value={margin} onChange={(v) => setMargin(v ?? 4)} />
        </Form.Item>
        <Form.Item label={t.qrEcl}>
          <Select<Ecl> value={ecl} onChange={setEcl} style={{ width: 120 }} options={(['L', 'M', 'Q', 'H'] as const).map((v) => ({ value: v, label: v }))} />
        </Form.Item>
        <Space>
          <Form.Item label={t.qrFg}>
            <ColorPicker value={fg} disabledAlpha onChangeComplete={(c) => setFg(c.toHexString())} />
          </Form.Item>
          <Form.Item label={t.qrBg}>
            <ColorPicker value={bg} disabledAlpha onChangeComplete={(c) => setBg(c.toHexString())} />
          </Form.Item>
        </Space>
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
