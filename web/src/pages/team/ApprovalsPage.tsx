import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Form, Input, Modal, Space, Spin, Steps, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, ok } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { Messages } from '../../i18n/messages.ts';
import { ApprovalPolicyForm } from './ApprovalPolicyForm.tsx';
import { mayDecide, useProposals } from './proposals.ts';
import { can, PageHeader, QueryError, useSignedIn } from './shared.tsx';
import type { Proposal } from './types.ts';

const STATUS: Record<Proposal['status'], [keyof Messages, string]> = {
  pending: ['proposalPending', 'orange'],
  applied: ['proposalApplied', 'green'],
  rejected: ['proposalRejected', 'red'],
  conflict: ['proposalConflict', 'default'],
};

const shown = (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

function ProposalCard({ proposal, onDecide }: { proposal: Proposal; onDecide?: (verdict: 'approve' | 'reject') => void }) {
  const { t, lang } = useI18n();
  const [text, color] = STATUS[proposal.status];
  return (
    <Card
      size="small"
      data-testid="proposal"
      title={
        <Space wrap>
          <Tag color={color}>{t[text]}</Tag>
          <span>
            {t.proposer}: {proposal.proposer.name}
          </span>
          <Typography.Text type="secondary">{new Date(proposal.createdAt).toLocaleString(lang)}</Typography.Text>
        </Space>
      }
      extra={<Link to={`/codes/${proposal.codeId}`}>{t.openCode}</Link>}
    >
      <Table
        size="small"
        rowKey="field"
        pagination={false}
        dataSource={proposal.changes}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t.field, dataIndex: 'field' },
          { title: t.from, dataIndex: 'from', render: shown },
          { title: t.to, dataIndex: 'to', render: shown },
        ]}
      />
      <Steps
        size="small"
        style={{ marginTop: 12 }}
        items={proposal.levels.map((level) => ({
          title: level.name,
          status: level.decision ? (level.decision.verdict === 'approve' ? 'finish' : 'error') : level.name === proposal.nextLevel ? 'process' : 'wait',
          content: level.decision
            ? `${level.decision.by.name}${level.decision.comment ? `: ${level.decision.comment}` : ''}`
            : [...level.roles, ...level.users].join('、'),
        }))}
      />
      {onDecide && (
        <Space style={{ marginTop: 12 }}>
          <Button type="primary" onClick={() => onDecide('approve')}>
            {t.approve}
          </Button>
          <Button danger onClick={() => onDecide('reject')}>
            {t.reject}
          </Button>
        </Space>
      )}
    </Card>
  );
}

function ProposalList({ status }: { status?: 'pending' }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const me = useSignedIn();
  const client = useQueryClient();
  const [deciding, setDeciding] = useState<{ proposal: Proposal; verdict: 'approve' | 'reject' } | null>(null);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const list = useProposals(status);
  const decide = async () => {
    if (!deciding) return;
    setBusy(true);
    try {
      const { proposal, verdict } = deciding;
      await ok(api.POST(`/api/v1/proposals/{id}/${verdict}`, { params: { path: { id: proposal.id } }, body: { comment: comment.trim() || null } }));
      setDeciding(null);
      await client.invalidateQueries({ queryKey: ['proposals'] });
      await client.invalidateQueries({ queryKey: ['code', proposal.codeId] });
    } catch (err) {
      // A 409 (the code changed meanwhile) or a 403 (not this person's level) is the server's to say.
      message.error((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  if (list.error) return <QueryError error={list.error} retry={() => void list.refetch()} />;
  if (list.isPending) return <Spin />;
  const proposals = list.data;
  if (proposals.length === 0) return <Empty description={t.noProposals} />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {proposals.map((proposal) => (
        <ProposalCard
          key={proposal.id}
          proposal={proposal}
          onDecide={mayDecide(me, proposal) ? (verdict) => (setComment(''), setDeciding({ proposal, verdict })) : undefined}
        />
      ))}
      <Modal
        open={deciding !== null}
        title={deciding?.verdict === 'reject' ? t.reject : t.approve}
        okText={deciding?.verdict === 'reject' ? t.reject : t.approve}
        okButtonProps={{ danger: deciding?.verdict === 'reject' }}
        cancelText={t.cancel}
        confirmLoading={busy}
        onOk={() => void decide()}
        onCancel={() => setDeciding(null)}
      >
        <Form layout="vertical">
          <Form.Item label={t.reason} extra={t.reasonHint} htmlFor="decision-reason">
            <Input.TextArea id="decision-reason" rows={3} maxLength={500} value={comment} onChange={(e) => setComment(e.target.value)} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}

/** The approvals inbox: changes held for approval with who asked and what they change; and the policy, for who may set it. */
export default function ApprovalsPage() {
  const { t } = useI18n();
  const me = useSignedIn();
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <PageHeader title={t.menuApprovals} />
      <Tabs
        items={[
          { key: 'pending', label: t.proposalsPending, children: <ProposalList status="pending" /> },
          { key: 'all', label: t.proposalsAll, children: <ProposalList /> },
          ...(can(me, 'settings.manage') ? [{ key: 'settings', label: t.approvalSettings, children: <ApprovalPolicyForm /> }] : []),
        ]}
      />
    </Space>
  );
}
