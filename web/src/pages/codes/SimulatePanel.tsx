import { CheckCircleTwoTone, CloseCircleTwoTone } from '@ant-design/icons';
import { Alert, App, Button, Card, DatePicker, Descriptions, Flex, Form, Input, List, Select, Space, Switch, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, ok } from '../../api/client.ts';
import type { Lang, SimulateInput } from '../../api/types.ts';
import type { Messages } from '../../i18n/messages.ts';
import { osOptions } from '../../components/labels.tsx';

interface Fields {
  at?: Dayjs;
  city?: string;
  os?: SimulateInput['os'];
  inWeChat?: boolean;
  returning?: boolean;
}

interface RuleTrace {
  index: number;
  name: string | null;
  matched: boolean;
  failed: string | null;
  conditions: { kind: string; passed: boolean; text: Record<Lang, string> }[];
}

const simulate = (id: string, body: SimulateInput) => ok(api.POST('/api/v1/codes/{id}/simulate', { params: { path: { id } }, body }));
type Simulation = Awaited<ReturnType<typeof simulate>>;


/** "Test before printing": a scan decided by the server at a chosen time, place, device and visitor, nothing recorded. */
export function SimulatePanel({ id, t, lang }: { id: string; t: Messages; lang: Lang }) {
  const { message } = App.useApp();
  const [result, setResult] = useState<Simulation | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (fields: Fields) => {
    const body: SimulateInput = {
      ...(fields.at ? { at: fields.at.toISOString() } : {}),
      ...(fields.city ? { city: fields.city } : {}),
      ...(fields.os ? { os: fields.os } : {}),
      inWeChat: fields.inWeChat ?? false,
      returning: fields.returning ?? false,
    };
    setBusy(true);
    try {
      setResult(await simulate(id, body));
    } catch (err) {
      message.error((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const rules = result && 'rules' in result.trace ? (result.trace.rules as RuleTrace[]) : null;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Text type="secondary">{t.testHint}</Typography.Text>
      <Form layout="vertical" onFinish={run}>
        <Flex wrap gap={8}>
          <Form.Item name="at" label={t.testAt}>
            <DatePicker showTime />
          </Form.Item>
          <Form.Item name="city" label={t.testCity}>
            <Input placeholder="上海" style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="os" label={t.testOs}>
            <Select allowClear style={{ width: 140 }} options={osOptions(t)} />
          </Form.Item>
          <Form.Item name="inWeChat" label={t.testInWeChat} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="returning" label={t.testReturning} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Flex>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="simulate">
          {t.testRun}
        </Button>
      </Form>
      {result && (
        <Card size="small" title={t.decision} data-testid="simulate-result">
          <Descriptions size="small" column={1}>
            {Object.entries(result.decision).map(([key, value]) => (
              <Descriptions.Item key={key} label={key}>
                <Typography.Text style={{ wordBreak: 'break-all' }}>{typeof value === 'object' ? JSON.stringify(value) : String(value)}</Typography.Text>
              </Descriptions.Item>
            ))}
          </Descriptions>
        </Card>
      )}
      {rules && (
        <Card size="small" title={t.trace}>
          {rules.length === 0 && <Alert type="info" title={t.noData} />}
          <List
            dataSource={rules}
            renderItem={(rule) => (
              <List.Item>
                <Space orientation="vertical" size={2}>
                  <Space>
                    {rule.matched ? <CheckCircleTwoTone twoToneColor="#52c41a" /> : <CloseCircleTwoTone twoToneColor="#bfbfbf" />}
                    <Typography.Text strong>
                      #{rule.index + 1} {rule.name ?? ''}
                    </Typography.Text>
                    <Tag color={rule.matched ? 'green' : 'default'}>{rule.matched ? t.matched : t.notMatched}</Tag>
                  </Space>
                  <Space wrap size={4}>
                    {rule.conditions.map((c, i) => (
                      <Tag key={i} color={c.passed ? 'green' : 'red'}>
                        {c.text[lang]}
                      </Tag>
                    ))}
                  </Space>
                </Space>
              </List.Item>
            )}
          />
        </Card>
      )}
      {result && !rules && <pre style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{JSON.stringify(result.trace, null, 2)}</pre>}
    </Space>
  );
}
