import { lazy } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import type { Me } from '../api/types.ts';
import { AppShell } from '../components/AppShell.tsx';

const CodesPage = lazy(() => import('./codes/CodesPage.tsx'));
const CodeFormPage = lazy(() => import('./codes/CodeFormPage.tsx'));
const CodeDetailPage = lazy(() => import('./codes/CodeDetailPage.tsx'));
const StoresPage = lazy(() => import('./stores/StoresPage.tsx'));
const MaterialsPage = lazy(() => import('./materials/MaterialsPage.tsx'));

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
        <Route path="*" element={<Navigate to="/codes" replace />} />
      </Routes>
    </AppShell>
  );
}
