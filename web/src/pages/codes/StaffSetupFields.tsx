import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Form, Input, InputNumber, Segmented, Select, Space, Switch, Typography } from 'antd';
import { useDepartments, useStaffList } from '../../api/places-queries.ts';
import type { Staff } from '../../api/places-types.ts';
import type { Code, CodeInput } from '../../api/types.ts';
import type { Messages } from '../../i18n/messages.ts';
import { optionsOf, type CodeTypePart } from './code-type-part.ts';
import { WEEKDAYS_EN, WEEKDAYS_ZH } from './RulesEditor.tsx';
import { welcomeFromFields, WelcomeEditor, welcomeToFields, type WelcomeFields } from './WelcomeFields.tsx';

type Member = NonNullable<CodeInput['members']>[number];
type Strategy = NonNullable<CodeInput['strategy']>;

/** A roster line as the form holds it: a person or a whole department, by `kind`. */
interface MemberFields {
  kind: 'staff' | 'department';
  staffId?: string;
  departmentId?: string;
  weight?: number;
}

interface StaffFields {
  members: MemberFields[];
  strategy: Strategy;
  backupStaffIds: string[];
  url?: string | null;
  overflowColleagues: boolean;
  overflowDepartmentIds: string[];
  offHours: 'overflow' | 'close';
  dedupeHours: number;
  welcomeMessages: WelcomeFields[];
}

const STRATEGIES: [Strategy, keyof Messages][] = [
  ['weighted', 'strategyWeighted'],
  ['round_robin', 'strategyRoundRobin'],
  ['least_loaded', 'strategyLeastLoaded'],
];

/** A member's own hours and daily limit as set on the member: what the roster obeys, shown beside their line. */
function memberHours(t: Messages, lang: string, staff: Staff | undefined): string {
  if (!staff) return '';
  const days = lang === 'en' ? WEEKDAYS_EN : WEEKDAYS_ZH;
  const shifts = staff.schedule?.shifts.map((s) => `${s.weekdays.map((d) => days[d - 1]).join(lang === 'en' ? ',' : '')} ${s.from}–${s.to}`);
  const hours = shifts ? `${t.memberSchedule} ${shifts.join('; ')}` : t.memberAlwaysOn;
  const limit = staff.dailyLimit === null ? t.memberNoLimit : `${t.memberDailyLimit} ${staff.dailyLimit}`;
  return `${hours} · ${limit}${staff.status === 'active' ? '' : ` · ${staff.status}`}`;
}

function StaffSetupFields({ t, lang }: { t: Messages; lang: string }) {
  const staff = useStaffList();
  const departments = useDepartments();
  const staffOptions = optionsOf(staff.data?.items);
  const departmentOptions = optionsOf(departments.data?.items);
  const byId = new Map((staff.data?.items ?? []).map((s) => [s.id, s]));
  return (
    <>
      <Typography.Title level={5}>{t.members}</Typography.Title>
      <Form.List name="members">
        {(fields, { add, remove }) => (
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Typography.Text type="secondary">{t.membersHint}</Typography.Text>
            {fields.map((field, index) => (
              <Card key={field.key} size="small" data-testid={`member-${index}`}>
                <Flex wrap gap={8} align="start">
                  <Form.Item name={[field.name, 'kind']} label={t.memberKind}>
                    <Segmented options={[{ value: 'staff', label: t.memberPerson }, { value: 'department', label: t.memberDepartment }]} />
                  </Form.Item>
                  <Form.Item noStyle shouldUpdate>
                    {({ getFieldValue }) =>
                      getFieldValue(['members', field.name, 'kind']) === 'department' ? (
                        <Form.Item
                          name={[field.name, 'departmentId']} label={t.memberDepartment} rules={[{ required: true }]} style={{ minWidth: 200, flex: 1 }}
                        >
                          <Select showSearch optionFilterProp="label" options={departmentOptions} loading={departments.isPending} />
                        </Form.Item>
                      ) : (
                        <Form.Item
                          name={[field.name, 'staffId']} label={t.memberPerson} rules={[{ required: true }]} style={{ minWidth: 200, flex: 1 }}
                          extra={memberHours(t, lang, byId.get(getFieldValue(['members', field.name, 'staffId'])))}
                        >
                          <Select showSearch optionFilterProp="label" options={staffOptions} loading={staff.isPending} />
                        </Form.Item>
                      )
                    }
                  </Form.Item>
                  <Form.Item name={[field.name, 'weight']} label={t.weight} style={{ width: 110 }}>
                    <InputNumber min={1} max={1000} precision={0} style={{ width: '100%' }} />
                  </Form.Item>
                  <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(index)} aria-label="delete" style={{ marginTop: 30 }} />
                </Flex>
              </Card>
            ))}
            <Button icon={<PlusOutlined />} onClick={() => add({ kind: 'staff', weight: 1 })} data-testid="add-member">
              {t.addMember}
            </Button>
            {staff.isError && <Typography.Text type="danger">{staff.error.message}</Typography.Text>}
          </Space>
        )}
      </Form.List>
      <Flex wrap gap={16} style={{ marginTop: 16 }}>
        <Form.Item name="strategy" label={t.strategy} style={{ width: 200 }}>
          <Select options={STRATEGIES.map(([value, key]) => ({ value, label: t[key] }))} />
        </Form.Item>
        <Form.Item name="offHours" label={t.offHours} style={{ width: 220 }}>
          <Select options={[{ value: 'overflow', label: t.offHoursOverflow }, { value: 'close', label: t.offHoursClose }]} />
        </Form.Item>
        <Form.Item name="dedupeHours" label={t.dedupeHours} style={{ width: 160 }}>
          <InputNumber min={0} max={72} style={{ width: '100%' }} />
        </Form.Item>
      </Flex>
      <Typography.Title level={5}>{t.wayOut}</Typography.Title>
      <Typography.Paragraph type="secondary">{t.wayOutHint}</Typography.Paragraph>
      <Form.Item name="backupStaffIds" label={t.backupStaff}>
        <Select mode="multiple" showSearch optionFilterProp="label" options={staffOptions} />
      </Form.Item>
      <Form.Item name="url" label={t.backupPage}>
        <Input placeholder="https://" inputMode="url" />
      </Form.Item>
      <Flex wrap gap={16}>
        <Form.Item name="overflowColleagues" label={t.overflowColleagues} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="overflowDepartmentIds" label={t.overflowDepartments} style={{ minWidth: 240, flex: 1 }}>
          <Select mode="multiple" showSearch optionFilterProp="label" options={departmentOptions} />
        </Form.Item>
      </Flex>
      <Typography.Title level={5}>{t.welcomeMessages}</Typography.Title>
      <WelcomeEditor t={t} />
    </>
  );
}

const memberToFields = (m: Member): MemberFields =>
  m.departmentId !== undefined
    ? { kind: 'department', departmentId: m.departmentId, weight: m.weight }
    : { kind: 'staff', staffId: m.staffId, weight: m.weight };

const memberFromFields = (m: MemberFields): Member =>
  m.kind === 'department' ? { departmentId: m.departmentId ?? '', weight: m.weight ?? 1 } : { staffId: m.staffId ?? '', weight: m.weight ?? 1 };

/**
 * A staff code: who takes the scans and by what share, who takes them when nobody can, greetings.
 * Roster rules by time or place (memberRules) are kept as the API set them: the form leaves them alone.
 */
export const staffPart: CodeTypePart<StaffFields> = {
  fields: ['members', 'strategy', 'backupStaffIds', 'url', 'overflowColleagues', 'overflowDepartmentIds', 'offHours', 'dedupeHours', 'welcomeMessages'],
  initial: {
    members: [{ kind: 'staff', weight: 1 }], strategy: 'weighted', backupStaffIds: [], overflowColleagues: true, overflowDepartmentIds: [],
    offHours: 'overflow', dedupeHours: 3, welcomeMessages: [],
  },
  toForm: (code: Code) => ({
    members: (code.members ?? []).map(memberToFields),
    strategy: code.strategy ?? 'weighted',
    backupStaffIds: code.backupStaffIds ?? [],
    url: code.url,
    overflowColleagues: code.overflowColleagues ?? true,
    overflowDepartmentIds: code.overflowDepartmentIds ?? [],
    offHours: code.offHours ?? 'overflow',
    dedupeHours: code.dedupeHours ?? 3,
    welcomeMessages: (code.welcomeMessages ?? []).map(welcomeToFields),
  }),
  toBody: (v) => ({
    members: (v.members ?? []).map(memberFromFields), strategy: v.strategy, backupStaffIds: v.backupStaffIds ?? [], url: v.url || null,
    overflowColleagues: v.overflowColleagues, overflowDepartmentIds: v.overflowDepartmentIds ?? [], offHours: v.offHours, dedupeHours: v.dedupeHours,
    welcomeMessages: (v.welcomeMessages ?? []).map(welcomeFromFields),
  }),
  Fields: StaffSetupFields,
};
