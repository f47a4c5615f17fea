import { Alert, App, Form, Modal, Select } from 'antd';
import { useState } from 'react';
import { api, ok } from '../../api/client.ts';
import { showApiError } from '../../components/api-errors.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { fill } from './common.tsx';
import type { Member } from './StaffPage.tsx';

/**
 * A member leaves: the dialog says what the API's hand-over does (places on codes, stores and WeCom
 * customers go to the chosen colleague) before it is done, and what it did after.
 */
export function LeaveDialog({ member, colleagues, onClose, onDone }: {
  member: Member;
  colleagues: Member[];
  onClose: () => void;
  onDone: () => Promise<void>;
}) {
  const { t } = useI18n();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<{ handoverTo: string }>();
  const [busy, setBusy] = useState(false);

  const submit = async ({ handoverTo }: { handoverTo: string }) => {
    setBusy(true);
    try {
      const done = await ok(api.POST('/api/v1/staff/{id}/leave', { params: { path: { id: member.id } }, body: { handoverTo } }));
      const summary = fill(t.leaveDone, {
        name: done.to.name, codes: done.codes.length, held: done.heldForApproval.length, stores: done.stores.length, customers: done.customers.transferred,
      });
      if (done.customers.failed.length > 0) modal.warning({ title: summary, content: fill(t.leaveFailed, { count: done.customers.failed.length }) });
      else message.success(summary);
      await onDone();
    } catch (err) {
      showApiError(form, err, ['handoverTo'], (text) => message.error(text));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={fill(t.leaveTitle, { name: member.name })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t.leaveConfirm}
      okButtonProps={{ danger: true }}
      cancelText={t.cancel}
      confirmLoading={busy}
    >
      <Alert type="warning" showIcon title={t.leaveExplain} style={{ marginBottom: 16 }} />
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="handoverTo" label={t.handoverTo} rules={[{ required: true }]}>
          <Select showSearch optionFilterProp="label" options={colleagues.map((m) => ({ value: m.id, label: m.name }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
