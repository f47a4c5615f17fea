import { Flex, Form, InputNumber, Select, Switch, Typography } from 'antd';
import { useState } from 'react';
import { useStaffList, useStoreSearch } from '../../api/places-queries.ts';
import type { Code, CodeInput } from '../../api/types.ts';
import type { Messages } from '../../i18n/messages.ts';
import { optionsOf, type CodeTypePart } from './code-type-part.ts';
import { welcomeFromFields, WelcomeEditor, welcomeToFields, type WelcomeFields } from './WelcomeFields.tsx';

type AreaMode = NonNullable<CodeInput['serviceArea']>['mode'];
type Switching = NonNullable<CodeInput['switching']>;

interface RegionFields {
  storeIds: string[];
  serviceArea: { mode: AreaMode; km?: number };
  switching: Switching;
  homeArea: boolean;
  backupStaffIds: string[];
  welcomeMessages: WelcomeFields[];
}

const SWITCHING: [Switching, keyof Messages][] = [['region', 'switchingRegion'], ['any', 'switchingAny'], ['none', 'switchingNone']];

/** The stores picker: searched on the server by name, the chosen ones kept named while the search shows others. */
function StorePicker({ value, onChange, t }: { value?: string[]; onChange?: (ids: string[]) => void; t: Messages }) {
  const [q, setQ] = useState('');
  const found = useStoreSearch(q);
  const [named, setNamed] = useState(new Map<string, string>());
  const options = (found.data?.items ?? []).map((s) => ({ value: s.id, label: `${s.name} · ${s.city}` }));
  const shown = new Set(options.map((o) => o.value));
  const kept = (value ?? []).filter((id) => !shown.has(id)).map((id) => ({ value: id, label: named.get(id) ?? id }));
  return (
    <Select
      mode="multiple"
      showSearch
      filterOption={false}
      onSearch={setQ}
      value={value}
      onChange={(ids: string[]) => {
        setNamed(new Map([...named, ...options.map((o): [string, string] => [o.value, o.label])]));
        onChange?.(ids);
      }}
      loading={found.isFetching}
      notFoundContent={found.isError ? found.error.message : t.noStores}
      options={[...kept, ...options]}
      data-testid="store-picker"
    />
  );
}

function RegionSetupFields({ t }: { t: Messages }) {
  const staff = useStaffList();
  return (
    <>
      <Form.Item name="storeIds" label={t.regionStores} rules={[{ required: true }]} extra={t.regionStoresHint}>
        <StorePicker t={t} />
      </Form.Item>
      <Flex wrap gap={16}>
        <Form.Item name={['serviceArea', 'mode']} label={t.serviceArea} style={{ width: 200 }}>
          <Select
            options={[
              { value: 'distance', label: t.areaDistance },
              { value: 'city', label: t.areaCity },
              { value: 'province', label: t.areaProvince },
            ]}
          />
        </Form.Item>
        <Form.Item noStyle shouldUpdate>
          {({ getFieldValue }) =>
            getFieldValue(['serviceArea', 'mode']) === 'distance' && (
              <Form.Item name={['serviceArea', 'km']} label={t.areaKm} rules={[{ required: true }]} style={{ width: 140 }}>
                <InputNumber min={1} max={9999} precision={0} style={{ width: '100%' }} />
              </Form.Item>
            )
          }
        </Form.Item>
        <Form.Item name="switching" label={t.switching} style={{ width: 260 }}>
          <Select options={SWITCHING.map(([value, key]) => ({ value, label: t[key] }))} />
        </Form.Item>
        <Form.Item name="homeArea" label={t.homeArea} valuePropName="checked" tooltip={t.homeAreaHint}>
          <Switch />
        </Form.Item>
      </Flex>
      <Form.Item name="backupStaffIds" label={t.backupStaff} rules={[{ required: true }]} extra={t.regionBackupHint}>
        <Select mode="multiple" showSearch optionFilterProp="label" options={optionsOf(staff.data?.items)} loading={staff.isPending} />
      </Form.Item>
      <Typography.Title level={5}>{t.welcomeMessages}</Typography.Title>
      <WelcomeEditor t={t} />
    </>
  );
}

/** A region (store) code: the scanner is matched to a store of the pool near them; the backup staff take the rest. */
export const regionPart: CodeTypePart<RegionFields> = {
  fields: ['storeIds', 'serviceArea', 'switching', 'homeArea', 'backupStaffIds', 'welcomeMessages'],
  initial: { storeIds: [], serviceArea: { mode: 'distance', km: 10 }, switching: 'region', homeArea: true, backupStaffIds: [], welcomeMessages: [] },
  toForm: (code: Code) => ({
    storeIds: code.storeIds ?? [],
    serviceArea: code.serviceArea ?? { mode: 'distance', km: 10 },
    switching: code.switching ?? 'region',
    homeArea: code.homeArea ?? true,
    backupStaffIds: code.backupStaffIds ?? [],
    welcomeMessages: (code.welcomeMessages ?? []).map(welcomeToFields),
  }),
  toBody: (v) => ({
    storeIds: v.storeIds ?? [],
    serviceArea: v.serviceArea.mode === 'distance' ? { mode: 'distance', km: v.serviceArea.km } : { mode: v.serviceArea.mode },
    switching: v.switching, homeArea: v.homeArea, backupStaffIds: v.backupStaffIds ?? [],
    welcomeMessages: (v.welcomeMessages ?? []).map(welcomeFromFields),
  }),
  Fields: RegionSetupFields,
};
