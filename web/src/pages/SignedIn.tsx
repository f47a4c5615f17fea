import { lazy } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import type { Me } from '../api/types.ts';
import { AppShell } from '../components/AppShell.tsx';

const CodesPage = lazy(() => import('./codes/CodesPage.tsx'));
const CodeFormPage = lazy(() => import('./codes/CodeFormPage.tsx'));
const CodeDetailPage = lazy(() => import('./codes/CodeDetailPage.tsx'));
const StoresPage = lazy(() => import('./stores/StoresPage.tsx'));
const MaterialsPage = lazy(() => import('./materials/MaterialsPage.tsx'));
const StaffPage = lazy(() => import('./wecom/StaffPage.tsx'));
const ChannelsPage = lazy(() => import('./wecom/ChannelsPage.tsx'));
const CustomersPage = lazy(() => import('./wecom/CustomersPage.tsx'));
const WecomSettingsPage = lazy(() => import('./wecom/WecomSettingsPage.tsx'));
const WebhooksPage = lazy(() => import('./wecom/WebhooksPage.tsx'));
const UsersPage = lazy(() => import('./team/UsersPage.tsx'));
const DepartmentsPage = lazy(() => import('./team/DepartmentsPage.tsx'));
const KeysPage = lazy(() => import('./team/KeysPage.tsx'));
const AuditPage = lazy(() => import('./team/AuditPage.tsx'));
const ApprovalsPage = lazy(() => import('./team/ApprovalsPage.tsx'));
const AccountPage = lazy(() => import('./team/AccountPage.tsx'));

/** The console behind sign-in: the shell and its screens. */
export default function SignedIn({ me }: { me: Me }) {
  return (
    <AppShell me={me}>
      <Routes>
        <Route path="/codes" element={<CodesPage />} />
        <Route path="/codes/new" element={<CodeFormPage />} />
        <Route path="/codes/:id" element={<CodeDetailPage />} />
        <Route path="/codes/:id/edit" element={<CodeFormPage />} />
        <Route path="/stores" element={<StoresPage />} />
        <Route path="/materials" element={<MaterialsPage />} />
        <Route path="/wecom/staff" element={<StaffPage />} />
        <Route path="/wecom/channels" element={<ChannelsPage />} />
        <Route path="/wecom/customers" element={<CustomersPage />} />
        <Route path="/wecom/settings" element={<WecomSettingsPage />} />
        <Route path="/wecom/webhooks" element={<WebhooksPage />} />
        <Route path="/team/users" element={<UsersPage />} />
        <Route path="/team/departments" element={<DepartmentsPage />} />
        <Route path="/team/keys" element={<KeysPage />} />
        <Route path="/team/audit" element={<AuditPage />} />
        <Route path="/team/approvals" element={<ApprovalsPage />} />
        <Route path="/team/account" element={<AccountPage />} />
        <Route path="*" element={<Navigate to="/codes" replace />} />
      </Routes>
    </AppShell>
  );
}
