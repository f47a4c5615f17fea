import { useQuery } from '@tanstack/react-query';
import { ColorPicker, Form, Image, Input, Select, Space, Typography } from 'antd';
import type { Color } from 'antd/es/color-picker';
import { api, ok } from '../../api/client.ts';
import type { Messages } from '../../i18n/messages.ts';

/** A colour field that holds "#rrggbb" or null (cleared), as the API takes it. */
function ColorField({ name, label }: { name: string; label: string }) {
  return (
    <Form.Item name={['page', name]} label={label} getValueFromEvent={(c: Color | null) => (c && !c.cleared ? c.toHexString() : null)}>
      <ColorPicker allowClear disabledAlpha />
    </Form.Item>
  );
}

/**
 * How the code's landing pages look (the contact page, the store match, off-hours and ended pages):
 * a guide text, a banner and a background from the material library, and colours. Every type has them.
 */
export function PageDesignFields({ t }: { t: Messages }) {
  const images = useQuery({
    queryKey: ['materials', 'page'],
    queryFn: () => ok(api.GET('/api/v1/materials', { params: { query: { kind: 'page', limit: 100 } } })),
  });
  const options = (images.data?.items ?? []).map((m) => ({
    value: m.id,
    label: (
      <Space>
        <Image src={m.url} width={24} height={24} preview={false} style={{ objectFit: 'cover' }} alt="" />
        {m.name}
      </Space>
    ),
    name: m.name,
  }));
  const imageField = (name: string, label: string) => (
    <Form.Item name={['page', name]} label={label} getValueProps={(v: string | null) => ({ value: v ?? undefined })} normalize={(v) => v ?? null}>
      <Select allowClear showSearch optionFilterProp="name" loading={images.isPending} options={options} style={{ maxWidth: 360 }} placeholder={t.pageNoImage} />
    </Form.Item>
  );
  return (
    <>
      <Typography.Title level={5}>{t.pageDesign}</Typography.Title>
      <Typography.Paragraph type="secondary">{images.data?.items.length === 0 ? t.pageNoMaterials : t.pageDesignHint}</Typography.Paragraph>
      <Form.Item name={['page', 'guideText']} label={t.pageGuideText}>
        <Input.TextArea rows={2} maxLength={200} showCount placeholder={t.pageGuideTextPlaceholder} data-testid="page-guide-text" />
      </Form.Item>
      {imageField('guideImageId', t.pageGuideImage)}
      {imageField('backgroundImageId', t.pageBackgroundImage)}
      <div>
        <Space wrap size="large">
          <ColorField name="backgroundColor" label={t.pageBackgroundColor} />
          <ColorField name="textColor" label={t.pageTextColor} />
          <ColorField name="accentColor" label={t.pageAccentColor} />
        </Space>
      </div>
    </>
  );
}
