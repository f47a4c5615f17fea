import { App, Flex, Form, Input, InputNumber, Modal, Select } from 'antd';
import { useState } from 'react';
import { api, ok } from '../../api/client.ts';
import { useStaffList } from '../../api/places-queries.ts';
import type { Store, StoreInput } from '../../api/places-types.ts';
import { showApiError } from '../../components/api-errors.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { COORD_SYSTEMS } from './coord-systems.ts';
import { optionsOf } from '../codes/code-type-part.ts';

type Fields = Pick<StoreInput, 'name' | 'province' | 'city' | 'address' | 'lat' | 'lng' | 'coordSystem' | 'staffIds'> & {
  district?: string | null;
  areaTag?: string | null;
};

const FIELDS = ['name', 'province', 'city', 'district', 'address', 'lat', 'lng', 'coordSystem', 'staffIds', 'areaTag'];

/** Add a store or change one; the API checks the province and city against the official divisions, and says so under the field. */
export function StoreFormModal({ store, onClose, onSaved }: { store?: Store; onClose(): void; onSaved(): Promise<unknown> }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Fields>();
  const [busy, setBusy] = useState(false);
  const staff = useStaffList();

  const submit = async (values: Fields) => {
    const body = { ...values, district: values.district || null, areaTag: values.areaTag || null, staffIds: values.staffIds ?? [] };
    setBusy(true);
    try {
      if (store) await ok(api.PATCH('/api/v1/stores/{id}', { params: { path: { id: store.id } }, body }));
      else await ok(api.POST('/api/v1/stores', { body }));
      message.success(store ? t.saved : t.created);
      await onSaved();
      onClose();
    } catch (err) {
      showApiError(form, err, FIELDS, (text) => message.error(text));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={store ? `${t.edit} · ${store.name}` : t.newStore}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t.save}
      cancelText={t.cancel}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'save-store' } as never}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={store ? { ...store, coordSystem: 'wgs84' } : { coordSystem: 'wgs84', staffIds: [] }}
      >
        <Form.Item name="name" label={t.storeName} rules={[{ required: true }]}>
          <Input maxLength={50} />
        </Form.Item>
        <Flex gap={8} wrap>
          <Form.Item name="province" label={t.storeProvince} rules={[{ required: true }]} style={{ flex: 1, minWidth: 120 }}>
            <Input placeholder="上海市" />
          </Form.Item>
          <Form.Item name="city" label={t.storeCityOnly} rules={[{ required: true }]} style={{ flex: 1, minWidth: 120 }}>
            <Input placeholder="上海市" />
          </Form.Item>
          <Form.Item name="district" label={t.storeDistrict} style={{ flex: 1, minWidth: 120 }}>
            <Input placeholder="黄浦区" />
          </Form.Item>
        </Flex>
        <Form.Item name="address" label={t.storeAddress} rules={[{ required: true }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Flex gap={8} wrap>
          <Form.Item name="lat" label={t.storeLat} rules={[{ required: true }]} style={{ flex: 1, minWidth: 120 }}>
            <InputNumber min={-90} max={90} step={0.000001} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="lng" label={t.storeLng} rules={[{ required: true }]} style={{ flex: 1, minWidth: 120 }}>
            <InputNumber min={-180} max={180} step={0.000001} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="coordSystem" label={t.storeCoordSystem} style={{ flex: 1, minWidth: 160 }} tooltip={t.storeCoordSystemHint}>
            <Select options={COORD_SYSTEMS.map((value) => ({ value, label: t[`coord_${value}`] }))} />
          </Form.Item>
        </Flex>
        <Form.Item name="staffIds" label={t.storeStaff}>
          <Select mode="multiple" showSearch optionFilterProp="label" options={optionsOf(staff.data?.items)} loading={staff.isPending} />
        </Form.Item>
        <Form.Item name="areaTag" label={t.storeAreaTag} tooltip={t.storeAreaTagHint}>
          <Input maxLength={30} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
