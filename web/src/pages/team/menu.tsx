import { ApiOutlined, AuditOutlined, CheckSquareOutlined, ClusterOutlined, SettingOutlined, TeamOutlined } from '@ant-design/icons';
import { Badge } from 'antd';
import type { Me } from '../../api/types.ts';
import type { Messages } from '../../i18n/messages.ts';
import { mayDecide, useProposals } from './proposals.ts';
import { can } from './shared.tsx';

/**
 * The "team and settings" menu group, holding only the entries this person may use (the server judges
 * each request all the same); none at all for someone who may use none of them. The approvals inbox
 * shows to whoever sets the policy, and to anyone a pending change waits for.
 */
export function useTeamMenu(me: Me, t: Messages) {
  const pending = useProposals('pending', can(me, 'codes.read'));
  const waiting = (pending.data ?? []).filter((p) => mayDecide(me, p)).length;
  const entries = [
    can(me, 'users.manage') && { key: '/team/users', icon: <TeamOutlined />, label: t.menuUsers },
    (can(me, 'settings.manage') || can(me, 'users.manage')) && { key: '/team/departments', icon: <ClusterOutlined />, label: t.menuDepartments },
    can(me, 'tokens.manage') && { key: '/team/keys', icon: <ApiOutlined />, label: t.menuKeys },
    can(me, 'audit.read') && { key: '/team/audit', icon: <AuditOutlined />, label: t.menuAudit },
    (can(me, 'settings.manage') || waiting > 0) && {
      key: '/team/approvals', icon: <CheckSquareOutlined />,
      label: (
        <span>
          {t.menuApprovals} <Badge count={waiting} size="small" />
        </span>
      ),
    },
  ].filter((entry) => entry !== false);
  return entries.length === 0 ? [] : [{ key: '/team', icon: <SettingOutlined />, label: t.menuTeam, children: entries }];
}
