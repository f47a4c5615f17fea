import { App, Form, Input, InputNumber, Modal, Select } from 'antd';
import { useState } from 'react';
import { api, ok } from '../../api/client.ts';
import { showApiError } from '../../components/api-errors.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { STAFF_STATUSES, staffStatusText, type Member, type StaffStatus } from './StaffPage.tsx';

interface Fields {
  name: string;
  departmentId?: string | null;
  status: StaffStatus;
  wecomUserId?: string;
  contactQrUrl?: string;
  weight: number;
  dailyLimit?: number | null;
  maxOpen?: number | null;
}

const FIELDS = ['name', 'departmentId', 'status', 'wecomUserId', 'contactQrUrl', 'weight', 'dailyLimit', 'maxOpen'];

/** Add a member or change one; the API's refusals show under the field they name. */
export function StaffForm({ member, departments, onClose, onSaved }: {
  member: Member | null;
  departments: { id: string; name: string }[];
  onClose: () => void;
  onSaved: () => Promise<void>;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Fields>();
  const [busy, setBusy] = useState(false);
  const initial: Fields = member
    ? {
      name: member.name, departmentId: member.departmentId, status: member.status, wecomUserId: member.wecomUserId ?? '',
      contactQrUrl: member.contactQrUrl ?? '', weight: member.weight, dailyLimit: member.dailyLimit, maxOpen: member.maxOpen,
    }
    : { name: '', status: 'active', weight: 1 };

  const submit = async (values: Fields) => {
    const body = {
      name: values.name, status: values.status, weight: values.weight,
      departmentId: values.departmentId ?? null, wecomUserId: values.wecomUserId || null, contactQrUrl: values.contactQrUrl || null,
      dailyLimit: values.dailyLimit ?? null, maxOpen: values.maxOpen ?? null,
    };
    setBusy(true);
    try {
      if (member) await ok(api.PATCH('/api/v1/staff/{id}', { params: { path: { id: member.id } }, body }));
      else await ok(api.POST('/api/v1/staff', { body }));
      await onSaved();
    } catch (err) {
      showApiError(form, err, FIELDS, (text) => message.error(text));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={member ? t.editStaff : t.addStaff}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t.save}
      cancelText={t.cancel}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'save-staff' }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={initial} onFinish={submit}>
        <Form.Item name="name" label={t.name} rules={[{ required: true }]}>
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item name="departmentId" label={t.department}>
          <Select allowClear placeholder={t.noDepartment} options={departments.map((d) => ({ value: d.id, label: d.name }))} />
        </Form.Item>
        {/* Leaving goes through the hand-over (LeaveDialog), not this field. */}
        <Form.Item name="status" label={t.status}>
          <Select options={STAFF_STATUSES.filter((s) => s !== 'left' || member?.status === 'left').map((s) => ({ value: s, label: staffStatusText(t, s) }))} />
        </Form.Item>
        <Form.Item name="wecomUserId" label={t.wecomUserId}>
          <Input />
        </Form.Item>
        <Form.Item name="contactQrUrl" label={t.contactQrUrl}>
          <Input placeholder="https://" inputMode="url" />
        </Form.Item>
        <RoutingNumbers t={t} />
      </Form>
    </Modal>
  );
}

/** The routing numbers: a weight for sharing, and the optional caps. */
function RoutingNumbers({ t }: { t: ReturnType<typeof useI18n>['t'] }) {
  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', gap: 16 }}>
      <Form.Item name="weight" label={t.weight}>
        <InputNumber min={0} style={{ width: 120 }} />
      </Form.Item>
      <Form.Item name="dailyLimit" label={t.dailyLimit}>
        <InputNumber min={1} placeholder={t.noLimit} style={{ width: 120 }} />
      </Form.Item>
      <Form.Item name="maxOpen" label={t.maxOpen}>
        <InputNumber min={1} placeholder={t.noLimit} style={{ width: 120 }} />
      </Form.Item>
    </div>
  );
}
