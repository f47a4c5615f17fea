import { useQuery } from '@tanstack/react-query';
import { Alert, Button, ColorPicker, Flex, Form, Input, InputNumber, Segmented, Select, Slider, Space, Spin, Switch } from 'antd';
import { useDeferredValue, useState } from 'react';
import { api, ok } from '../../api/client.ts';
import type { Messages } from '../../i18n/messages.ts';
import { useImage, useLogo } from './code-images.ts';

const PAPERS = ['A6', 'A5', 'A4', 'A3', 'A2', 'A1'] as const;
type Paper = (typeof PAPERS)[number];
/** Low enough to redraw as the options change (an A4 page is 298 × 421 px), high enough to judge the layout. */
const PREVIEW_DPI = 36;

/**
 * A printable poster of the code: paper, guide text, where the QR code sits, and a background
 * from the material library or a colour; previewed from the API's renderer (what prints is what
 * shows), downloaded as a 300 dpi PNG or a PDF with the text as text.
 */
export function PosterDesigner({ id, name, t }: { id: string; name: string; t: Messages }) {
  const [paper, setPaper] = useState<Paper>('A4');
  const [orientation, setOrientation] = useState<'portrait' | 'landscape'>('portrait');
  const [text, setText] = useState('');
  const [textSize, setTextSize] = useState<number | null>(null);
  const [textColor, setTextColor] = useState('#1a1a1a');
  const [textY, setTextY] = useState(20);
  const [qrX, setQrX] = useState(50);
  const [qrY, setQrY] = useState(60);
  const [qrSize, setQrSize] = useState<number | null>(null);
  const [background, setBackground] = useState<string | undefined>();
  const [backgroundColor, setBackgroundColor] = useState('#ffffff');
  const logo = useLogo(id);
  const [withLogo, setWithLogo] = useState(true);
  const logoOn = withLogo && logo.data?.present === true;
  const backgrounds = useQuery({
    queryKey: ['materials', 'poster'],
    queryFn: () => ok(api.GET('/api/v1/materials', { params: { query: { kind: 'poster', limit: 100 } } })),
  });

  const url = (format: 'png' | 'pdf', dpi: number) =>
    `/api/v1/codes/${id}/poster.${format}?` +
    new URLSearchParams({
      paper, orientation, dpi: String(dpi), text, textColor: textColor.slice(1), textY: String(textY), qrX: String(qrX), qrY: String(qrY),
      backgroundColor: backgroundColor.slice(1),
      ...(textSize === null ? {} : { textSize: String(textSize) }),
      ...(qrSize === null ? {} : { qrSize: String(qrSize) }),
      ...(background ? { background } : {}),
      ...(logoOn ? { logo: 'true' } : {}),
    });
  const preview = useImage(useDeferredValue(url('png', PREVIEW_DPI)), logo.data?.stamp ?? 0);

  return (
    <Flex wrap gap={24} align="flex-start">
      <Space orientation="vertical" style={{ width: 320, maxWidth: '100%' }}>
        {preview.isPending && <Spin />}
        {preview.data && (
          <img src={preview.data} alt={t.poster} style={{ width: '100%', border: '1px solid #f0f0f0' }} data-testid="poster-preview" />
        )}
        {preview.isError && <Alert type="error" showIcon title={preview.error.message} data-testid="poster-error" />}
      </Space>
      <Form layout="vertical" style={{ minWidth: 280, flex: 1, maxWidth: 520 }}>
        <Space wrap>
          <Form.Item label={t.posterPaper}>
            <Select<Paper> value={paper} onChange={setPaper} style={{ width: 96 }} options={PAPERS.map((p) => ({ value: p, label: p }))} />
          </Form.Item>
          <Form.Item label={t.posterOrientation}>
            <Segmented
              value={orientation}
              onChange={(v) => setOrientation(v as typeof orientation)}
              options={[
                { value: 'portrait', label: t.posterPortrait },
                { value: 'landscape', label: t.posterLandscape },
              ]}
            />
          </Form.Item>
        </Space>
        <Form.Item label={t.posterText} extra={t.posterTextHint}>
          <Input.TextArea rows={3} maxLength={300} showCount value={text} onChange={(e) => setText(e.target.value)} data-testid="poster-text" />
        </Form.Item>
        <Space wrap>
          <Form.Item label={t.posterTextSize}>
            <InputNumber min={6} max={400} value={textSize} placeholder={t.posterAuto} onChange={setTextSize} />
          </Form.Item>
          <Form.Item label={t.posterTextColor}>
            <ColorPicker value={textColor} disabledAlpha onChangeComplete={(c) => setTextColor(c.toHexString())} />
          </Form.Item>
        </Space>
        <Form.Item label={t.posterTextY}>
          <Slider min={0} max={100} value={textY} onChange={setTextY} />
        </Form.Item>
        <Space wrap>
          <Form.Item label={t.posterQrSize}>
            <InputNumber min={10} max={2000} value={qrSize} placeholder={t.posterAuto} onChange={setQrSize} />
          </Form.Item>
        </Space>
        <Form.Item label={t.posterQrLogo} extra={logo.data?.present ? undefined : t.posterQrLogoNone}>
          <Switch checked={logoOn} disabled={!logo.data?.present} onChange={setWithLogo} />
        </Form.Item>
        <Form.Item label={t.posterQrX}>
          <Slider min={0} max={100} value={qrX} onChange={setQrX} />
        </Form.Item>
        <Form.Item label={t.posterQrY}>
          <Slider min={0} max={100} value={qrY} onChange={setQrY} />
        </Form.Item>
        <Space wrap align="start">
          <Form.Item label={t.posterBackground} extra={backgrounds.data?.items.length === 0 ? t.posterNoBackgrounds : undefined}>
            <Select
              allowClear
              style={{ width: 220 }}
              loading={backgrounds.isPending}
              value={background}
              onChange={setBackground}
              placeholder={t.posterBackgroundNone}
              options={(backgrounds.data?.items ?? []).map((m) => ({ value: m.id, label: m.name }))}
            />
          </Form.Item>
          <Form.Item label={t.posterBackgroundColor}>
            <ColorPicker value={backgroundColor} disabledAlpha onChangeComplete={(c) => setBackgroundColor(c.toHexString())} />
          </Form.Item>
        </Space>
        <Space>
          <Button type="primary" href={url('png', 300)} download={`${name}-poster.png`} data-testid="poster-png">
            {t.download} PNG（300 dpi）
          </Button>
          <Button href={url('pdf', 300)} download={`${name}-poster.pdf`} data-testid="poster-pdf">
            {t.download} PDF
          </Button>
        </Space>
      </Form>
    </Flex>
  );
}
