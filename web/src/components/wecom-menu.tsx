import { WechatWorkOutlined } from '@ant-design/icons';
import type { Me } from '../api/types.ts';
import type { Messages } from '../i18n/messages.ts';

interface Entry {
  key: string;
  label: string;
}

/** The WeCom group, with only the entries the person may open (the server refuses the rest anyway, and the screens say so). */
export function wecomMenu(me: Me, t: Messages) {
  const can = (permission: Me['permissions'][number]) => me.permissions.includes(permission);
  const children = [
    can('codes.read') && { key: '/wecom/staff', label: t.menuStaff },
    can('codes.read') && { key: '/wecom/channels', label: t.menuChannels },
    can('customers.read') && { key: '/wecom/customers', label: t.menuCustomers },
    (can('settings.manage') || can('customers.read')) && { key: '/wecom/settings', label: t.menuWecomSettings },
    can('webhooks.manage') && { key: '/wecom/webhooks', label: t.menuWebhooks },
  ].filter((entry): entry is Entry => entry !== false);
  return children.length > 0 ? [{ key: 'wecom', icon: <WechatWorkOutlined />, label: t.menuWecom, children }] : [];
}
