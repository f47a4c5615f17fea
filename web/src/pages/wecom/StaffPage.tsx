import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Flex, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { paths } from '../../api/schema';
import { useI18n } from '../../i18n/i18n.tsx';
import type { Messages } from '../../i18n/messages.ts';
import { emptyText, LoadError, useCan, useDepartments, useStaff } from './common.tsx';
import { LeaveDialog } from './LeaveDialog.tsx';
import { StaffForm } from './StaffForm.tsx';

export type Member = NonNullable<paths['/api/v1/staff']['get']['responses'][200]['content']['application/json']>['items'][number];
export type StaffStatus = Member['status'];

const STATUS: Record<StaffStatus, [keyof Messages, string]> = {
  active: ['staffStatusActive', 'green'],
  away: ['staffStatusAway', 'orange'],
  left: ['staffStatusLeft', 'default'],
};
export const STAFF_STATUSES = Object.keys(STATUS) as StaffStatus[];
export const staffStatusText = (t: Messages, status: StaffStatus) => t[STATUS[status][0]];

/** The members scans are routed to: department, status, limits; add, edit, and the hand-over when one leaves. */
export default function StaffPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const can = useCan();
  const client = useQueryClient();
  const staff = useStaff();
  const departments = useDepartments();
  const [editing, setEditing] = useState<Member | 'new' | null>(null);
  const [leaving, setLeaving] = useState<Member | null>(null);
  const departmentName = new Map((departments.data?.items ?? []).map((d) => [d.id, d.name]));
  const manage = can('staff.manage');
  const members = staff.data?.items ?? [];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t.staff}
        </Typography.Title>
        {manage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t.addStaff}
          </Button>
        )}
      </Flex>
      {staff.isError ? (
        <LoadError error={staff.error} onRetry={() => void staff.refetch()} />
      ) : (
        <Table<Member>
          rowKey="id"
          loading={staff.isPending}
          dataSource={members}
          pagination={false}
          size="middle"
          locale={{ emptyText: emptyText(t.staffEmpty) }}
          data-testid="staff-table"
          columns={[
            { title: t.name, dataIndex: 'name' },
            {
              title: t.department, dataIndex: 'departmentId', responsive: ['md'],
              render: (id: string | null) => (id ? (departmentName.get(id) ?? id) : t.noDepartment),
            },
            { title: t.status, dataIndex: 'status', render: (s: StaffStatus) => <Tag color={STATUS[s][1]}>{staffStatusText(t, s)}</Tag> },
            {
              title: t.todayOfLimit, key: 'today', align: 'right',
              render: (_: unknown, m) => <span data-testid={`today-${m.name}`}>{m.scansToday} / {m.dailyLimit ?? t.noLimit}</span>,
            },
            {
              title: t.openConversations, key: 'open', align: 'right', responsive: ['lg'],
              render: (_: unknown, m) => (m.openConversations?.fresh ? `${m.openConversations.count}${m.maxOpen ? ` / ${m.maxOpen}` : ''}` : '—'),
            },
            { title: t.wecomUserId, dataIndex: 'wecomUserId', responsive: ['lg'], render: (v: string | null) => v ?? '—' },
            ...(manage
              ? [{
                title: t.actions, key: 'actions',
                render: (_: unknown, m: Member) => (
                  <Space size={0}>
                    <Button type="link" size="small" onClick={() => setEditing(m)}>
                      {t.edit}
                    </Button>
                    {m.status !== 'left' && (
                      <Button type="link" size="small" danger onClick={() => setLeaving(m)}>
                        {t.markLeft}
                      </Button>
                    )}
                  </Space>
                ),
              }]
              : []),
          ]}
        />
      )}
      {editing && (
        <StaffForm
          member={editing === 'new' ? null : editing}
          departments={departments.data?.items ?? []}
          onClose={() => setEditing(null)}
          onSaved={async () => {
            setEditing(null);
            message.success(t.saved);
            await client.invalidateQueries({ queryKey: ['staff'] });
          }}
        />
      )}
      {leaving && (
        <LeaveDialog
          member={leaving}
          colleagues={members.filter((m) => m.id !== leaving.id && m.status !== 'left')}
          onClose={() => setLeaving(null)}
          onDone={async () => {
            setLeaving(null);
            await client.invalidateQueries({ queryKey: ['staff'] });
          }}
        />
      )}
    </Space>
  );
}
