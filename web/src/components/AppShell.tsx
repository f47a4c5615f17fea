import { AppstoreOutlined, LogoutOutlined, MenuOutlined, PictureOutlined, SafetyOutlined, ShopOutlined, UserOutlined } from '@ant-design/icons';
import { App, Button, Drawer, Dropdown, Grid, Layout, Menu, Spin } from 'antd';
import { Suspense, useState, type ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { useSignOut, useSwitchLanguage } from '../api/session.tsx';
import type { Me } from '../api/types.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { useTeamMenu } from '../pages/team/menu.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { wecomMenu } from './wecom-menu.tsx';

/** An entry of the side menu: a screen, or a group of screens. */
type MenuEntry = { key: string; icon?: ReactNode; label: ReactNode; children?: never } | { key: string; icon?: ReactNode; label: ReactNode; children: MenuEntry[] };

/** Sider menu on wide screens, a drawer on phones; the header holds the language switch and the user menu. */
export function AppShell({ me, children }: { me: Me; children: ReactNode }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const [drawer, setDrawer] = useState(false);
  const navigate = useNavigate();
  const location = useLocation();
  const signOut = useSignOut();
  const switchLanguage = useSwitchLanguage();

  // Only screens that exist: each new screen adds its entry here.
  const items: MenuEntry[] = [
    { key: '/codes', icon: <AppstoreOutlined />, label: t.menuCodes },
    { key: '/stores', icon: <ShopOutlined />, label: t.menuStores },
    { key: '/materials', icon: <PictureOutlined />, label: t.menuMaterials },
    ...wecomMenu(me, t),
    ...useTeamMenu(me, t),
  ];
  const leaves = items.flatMap((item) => item.children ?? [item]);
  const selected = leaves.filter((item) => location.pathname.startsWith(item.key)).map((item) => item.key);
  const menu = (
    <Menu
      mode="inline"
      items={items}
      selectedKeys={selected}
      // Groups open: a few entries each, and every screen one click away.
      defaultOpenKeys={items.filter((item) => item.children).map((item) => item.key)}
      onClick={({ key }) => {
        setDrawer(false);
        navigate(key);
      }}
    />
  );
  const brand = <div style={{ padding: '16px 24px', fontWeight: 600, fontSize: 16 }}>{t.appName}</div>;

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {!phone && (
        <Layout.Sider theme="light" width={200} breakpoint="lg" collapsible={false}>
          {brand}
          {menu}
        </Layout.Sider>
      )}
      <Drawer open={phone && drawer} onClose={() => setDrawer(false)} placement="left" size={220} styles={{ body: { padding: 0 } }}>
        {brand}
        {menu}
      </Drawer>
      <Layout>
        <Layout.Header style={{ background: '#fff', padding: '0 12px', display: 'flex', alignItems: 'center', gap: 8 }}>
          {phone && <Button type="text" icon={<MenuOutlined />} onClick={() => setDrawer(true)} aria-label="menu" />}
          <div style={{ flex: 1 }} />
          <LanguageSwitch onSwitch={(lang) => void switchLanguage(lang).catch((err: Error) => message.error(err.message))} />
          <Dropdown
            menu={{
              items: [
                { key: 'account', icon: <SafetyOutlined />, label: t.menuAccount },
                { key: 'signout', icon: <LogoutOutlined />, label: t.signOut },
              ],
              onClick: ({ key }) =>
                key === 'account' ? navigate('/team/account') : void signOut().catch((err: Error) => message.error(err.message)),
            }}
          >
            <Button type="text" icon={<UserOutlined />} data-testid="user-menu">
              {me.name}
            </Button>
          </Dropdown>
        </Layout.Header>
        <Layout.Content style={{ padding: phone ? 12 : 24, minWidth: 0 }}>
          <Suspense fallback={<Spin />}>{children}</Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
