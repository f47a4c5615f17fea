import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Form, Input, Space, Typography } from 'antd';
import type { CodeInput } from '../../api/types.ts';
import type { Messages } from '../../i18n/messages.ts';

type Welcome = NonNullable<CodeInput['welcomeMessages']>[number];

/** A greeting as the form holds it: text and image here, its other conditions (set through the API) kept as they were. */
export interface WelcomeFields {
  text?: string;
  imageUrl?: string;
  kept?: Omit<Welcome, 'text' | 'imageUrl'>;
}

export const welcomeToFields = ({ text, imageUrl, ...kept }: Welcome): WelcomeFields => ({ text, imageUrl, kept });

export const welcomeFromFields = (fields: WelcomeFields): Welcome => ({
  ...fields.kept, text: fields.text ?? '', ...(fields.imageUrl ? { imageUrl: fields.imageUrl } : {}),
});

/** The greetings sent when a customer adds the member the scan led to; the first whose conditions hold is sent. */
export function WelcomeEditor({ t }: { t: Messages }) {
  return (
    <Form.List name="welcomeMessages">
      {(fields, { add, remove }) => (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Text type="secondary">{t.welcomeHint}</Typography.Text>
          {fields.map((field, index) => (
            <Card
              key={field.key}
              size="small"
              title={`#${index + 1}`}
              extra={<Button type="text" size="small" danger icon={<DeleteOutlined />} onClick={() => remove(index)} aria-label="delete" />}
            >
              <Form.Item name={[field.name, 'text']} label={t.welcomeText} rules={[{ required: true }]}>
                <Input.TextArea rows={2} maxLength={4000} />
              </Form.Item>
              <Form.Item name={[field.name, 'imageUrl']} label={t.welcomeImage}>
                <Input placeholder="https://" inputMode="url" />
              </Form.Item>
            </Card>
          ))}
          <Button icon={<PlusOutlined />} onClick={() => add({})} data-testid="add-welcome">
            {t.addWelcome}
          </Button>
        </Space>
      )}
    </Form.List>
  );
}
