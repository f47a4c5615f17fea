import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Select, Space, Spin, Switch, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api, ok } from '../../api/client.ts';
import { showApiError } from '../../components/api-errors.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { can, QueryError, useRoles, useSignedIn } from './shared.tsx';
import type { ApprovalPolicy } from './types.ts';

type Field = ApprovalPolicy['rules'][number]['fields'][number];
/** The code fields a rule can hold; the API's enum makes a name here that it lacks a type error. */
const GUARDED: Field[] = ['url', 'rules', 'name', 'tags', 'timeZone', 'validFrom', 'validUntil', 'maxScans', 'deviceLimit', 'paused', 'expiredUrl', 'note', 'printed'];

/** The approval policy: rules of fields, each with its ordered levels of roles or people who approve. */
export function ApprovalPolicyForm() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const me = useSignedIn();
  const client = useQueryClient();
  const [form] = Form.useForm<ApprovalPolicy>();
  const [busy, setBusy] = useState(false);
  const policy = useQuery({ queryKey: ['approval-policy'], queryFn: () => ok(api.GET('/api/v1/settings/approvals')) });
  const roles = useRoles();
  const users = useQuery({ queryKey: ['users'], enabled: can(me, 'users.manage'), queryFn: () => ok(api.GET('/api/v1/users')) });
  useEffect(() => {
    if (policy.data) form.setFieldsValue(policy.data);
  }, [policy.data, form]);

  if (policy.error) return <QueryError error={policy.error} retry={() => void policy.refetch()} />;
  if (policy.isPending) return <Spin />;

  const submit = async (values: ApprovalPolicy) => {
    setBusy(true);
    try {
      const saved = await ok(api.PUT('/api/v1/settings/approvals', { body: { rules: values.rules ?? [] } }));
      client.setQueryData(['approval-policy'], saved);
      message.success(t.saved);
    } catch (err) {
      showApiError(form, err, ['rules'], (text) => message.error(text));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form form={form} layout="vertical" onFinish={submit} style={{ maxWidth: 760 }}>
      <Alert type="info" title={t.policyHint} style={{ marginBottom: 16 }} />
      <Form.List name="rules">
        {(rules, { add, remove }) => (
          <Space orientation="vertical" style={{ width: '100%' }}>
            {rules.map((rule) => (
              <Card
                key={rule.key}
                size="small"
                extra={<Button type="text" danger icon={<MinusCircleOutlined />} onClick={() => remove(rule.name)} aria-label={t.remove} />}
              >
                <Form.Item name={[rule.name, 'fields']} label={t.policyFields} rules={[{ required: true }]}>
                  <Select mode="multiple" options={GUARDED.map((f) => ({ value: f, label: f }))} />
                </Form.Item>
                <Form.Item name={[rule.name, 'onlyPrinted']} label={t.onlyPrinted} valuePropName="checked">
                  <Switch />
                </Form.Item>
                <Typography.Text strong>{t.levels}</Typography.Text>
                <Form.List name={[rule.name, 'levels']}>
                  {(levels, { add: addLevel, remove: removeLevel }) => (
                    <>
                      {levels.map((level) => (
                        <Space key={level.key} wrap align="start" style={{ display: 'flex', marginTop: 8 }}>
                          <Form.Item name={[level.name, 'name']} label={t.levelName} rules={[{ required: true }]}>
                            <Input maxLength={30} style={{ width: 140 }} />
                          </Form.Item>
                          <Form.Item name={[level.name, 'roles']} label={t.approverRoles}>
                            <Select mode="multiple" style={{ width: 200 }} options={(roles.data?.items ?? []).map((r) => ({ value: r.name, label: r.name }))} />
                          </Form.Item>
                          {users.data && (
                            <Form.Item name={[level.name, 'users']} label={t.approverUsers}>
                              <Select mode="multiple" style={{ width: 200 }} options={users.data.items.map((u) => ({ value: u.id, label: u.name }))} />
                            </Form.Item>
                          )}
                          <Button type="text" danger icon={<MinusCircleOutlined />} onClick={() => removeLevel(level.name)} aria-label={t.remove} />
                        </Space>
                      ))}
                      <Button type="dashed" size="small" icon={<PlusOutlined />} onClick={() => addLevel({ name: '', roles: [], users: [] })}>
                        {t.addLevel}
                      </Button>
                    </>
                  )}
                </Form.List>
              </Card>
            ))}
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ fields: ['url'], onlyPrinted: false, levels: [{ name: '', roles: [], users: [] }] })}>
              {t.addPolicyRule}
            </Button>
          </Space>
        )}
      </Form.List>
      <Button type="primary" htmlType="submit" loading={busy} style={{ marginTop: 16 }}>
        {t.save}
      </Button>
    </Form>
  );
}
