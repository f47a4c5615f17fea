import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, HolderOutlined, PlusOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { Button, Card, Flex, Form, Input, Select, Space, Typography } from 'antd';
import type { CodeInput } from '../../api/types.ts';
import type { Messages } from '../../i18n/messages.ts';
import { osOptions } from '../../components/labels.tsx';

type Rule = NonNullable<CodeInput['rules']>[number];
type When = Rule['when'];

/** A rule as the form holds it: the conditions this editor shows, and the ones set elsewhere (through the API) kept as they were. */
export interface RuleFields {
  name?: string;
  url?: string;
  timeFrom?: string;
  timeTo?: string;
  weekdays?: number[];
  os?: NonNullable<When['os']>;
  cities?: string[];
  visitor?: When['visitor'];
  kept?: When;
}

export function toFields(rule: Rule): RuleFields {
  const { timeOfDay, weekdays, os, cities, visitor, ...kept } = rule.when;
  return {
    name: rule.name, url: 'url' in rule ? (rule as { url?: string }).url : undefined,
    timeFrom: timeOfDay?.from, timeTo: timeOfDay?.to, weekdays, os, cities, visitor, kept,
  };
}

export function fromFields(fields: RuleFields): Rule {
  const when: When = {
    ...fields.kept,
    ...(fields.timeFrom || fields.timeTo ? { timeOfDay: { from: fields.timeFrom ?? '', to: fields.timeTo ?? '' } } : {}),
    ...(fields.weekdays?.length ? { weekdays: fields.weekdays } : {}),
    ...(fields.os?.length ? { os: fields.os } : {}),
    ...(fields.cities?.length ? { cities: fields.cities } : {}),
    ...(fields.visitor ? { visitor: fields.visitor } : {}),
  };
  return { ...(fields.name ? { name: fields.name } : {}), when, url: fields.url ?? '' } as Rule;
}

export const WEEKDAYS_ZH = ['一', '二', '三', '四', '五', '六', '日'];
export const WEEKDAYS_EN = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** The rules of a URL code, in order: the first whose conditions all hold decides. */
export function RulesEditor({ t, lang }: { t: Messages; lang: string }) {
  const weekdays = lang === 'en' ? WEEKDAYS_EN : WEEKDAYS_ZH;
  // Dragging a rule by its handle onto another puts it in that place (the arrows do the same by keyboard).
  // Pointer events, not HTML drag and drop: they work the same for a mouse and a finger on a phone. The
  // drag's own variables decide the drop, so a release that comes before React draws still lands right.
  const [drag, setDrag] = useState<{ from: number; over: number } | null>(null);
  const startDrag = (from: number, move: (from: number, to: number) => void) => {
    let over = from;
    setDrag({ from, over });
    const track = (e: PointerEvent) => {
      const card = document.elementFromPoint(e.clientX, e.clientY)?.closest('[data-rule-index]');
      const next = card ? Number(card.getAttribute('data-rule-index')) : over;
      if (next === over) return;
      over = next;
      setDrag({ from, over });
    };
    const drop = () => {
      window.removeEventListener('pointermove', track);
      window.removeEventListener('pointerup', drop);
      window.removeEventListener('pointercancel', drop);
      if (over !== from) move(from, over);
      setDrag(null);
    };
    window.addEventListener('pointermove', track);
    window.addEventListener('pointerup', drop);
    window.addEventListener('pointercancel', drop);
  };
  return (
    <Form.List name="rules">
      {(fields, { add, remove, move }) => (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Text type="secondary">{t.rulesHint}</Typography.Text>
          {fields.map((field, index) => (
            <Card
              key={field.key}
              size="small"
              data-testid={`rule-${index}`}
              data-rule-index={index}
              style={drag && drag.over === index && drag.from !== index ? { borderColor: '#1677ff', boxShadow: '0 0 0 1px #1677ff' } : undefined}
              title={
                <Space>
                  <span
                    role="button"
                    aria-label={t.dragToReorder}
                    title={t.dragToReorder}
                    style={{ cursor: drag ? 'grabbing' : 'grab', touchAction: 'none' }}
                    data-testid={`rule-handle-${index}`}
                    onPointerDown={(e) => {
                      e.preventDefault();
                      startDrag(index, move);
                    }}
                  >
                    <HolderOutlined />
                  </span>
                  {`#${index + 1}`}
                </Space>
              }
              extra={
                <Space size={0}>
                  <Button type="text" size="small" icon={<ArrowUpOutlined />} disabled={index === 0} onClick={() => move(index, index - 1)} aria-label="up" />
                  <Button
                    type="text" size="small" icon={<ArrowDownOutlined />} disabled={index === fields.length - 1}
                    onClick={() => move(index, index + 1)} aria-label="down"
                  />
                  <Button type="text" size="small" danger icon={<DeleteOutlined />} onClick={() => remove(index)} aria-label="delete" />
                </Space>
              }
            >
              <Flex wrap gap={8}>
                <Form.Item name={[field.name, 'name']} label={t.ruleName} style={{ minWidth: 160, flex: 1 }}>
                  <Input maxLength={30} />
                </Form.Item>
                <Form.Item name={[field.name, 'timeFrom']} label={t.timeFrom} style={{ width: 120 }}>
                  <Input placeholder="09:00" />
                </Form.Item>
                <Form.Item name={[field.name, 'timeTo']} label={t.timeTo} style={{ width: 120 }}>
                  <Input placeholder="18:00" />
                </Form.Item>
              </Flex>
              <Flex wrap gap={8}>
                <Form.Item name={[field.name, 'weekdays']} label={t.weekdays} style={{ minWidth: 200, flex: 1 }}>
                  <Select mode="multiple" options={weekdays.map((label, i) => ({ value: i + 1, label }))} />
                </Form.Item>
                <Form.Item name={[field.name, 'os']} label={t.os} style={{ minWidth: 200, flex: 1 }}>
                  <Select mode="multiple" options={osOptions(t)} />
                </Form.Item>
              </Flex>
              <Flex wrap gap={8}>
                <Form.Item name={[field.name, 'cities']} label={t.cities} style={{ minWidth: 200, flex: 1 }}>
                  <Select mode="tags" open={false} placeholder="上海" />
                </Form.Item>
                <Form.Item name={[field.name, 'visitor']} label={t.visitor} style={{ width: 160 }}>
                  <Select
                    allowClear
                    options={[
                      { value: 'new', label: t.visitorNew },
                      { value: 'returning', label: t.visitorReturning },
                    ]}
                  />
                </Form.Item>
              </Flex>
              <Form.Item name={[field.name, 'url']} label={t.ruleUrl} rules={[{ required: true }]}>
                <Input placeholder="https://" />
              </Form.Item>
            </Card>
          ))}
          <Button icon={<PlusOutlined />} onClick={() => add({})} data-testid="add-rule">
            {t.addRule}
          </Button>
        </Space>
      )}
    </Form.List>
  );
}
