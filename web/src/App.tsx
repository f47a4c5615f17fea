import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { lazy, Suspense, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { ApiError } from './api/client.ts';
import { useMe, useSetupNeeded } from './api/session.tsx';
import { I18nProvider, useI18n } from './i18n/i18n.tsx';

// Each screen is its own chunk: the sign-in screen loads no table, form or chart code.
const SetupPage = lazy(() => import('./pages/SetupPage.tsx'));
const LoginPage = lazy(() => import('./pages/LoginPage.tsx'));
const SignedIn = lazy(() => import('./pages/SignedIn.tsx'));

const queryClient = new QueryClient({
  defaultOptions: {
    // A refusal (4xx) will not change by asking again.
    queries: { retry: (count, err) => !(err instanceof ApiError && err.status < 500) && count < 2, refetchOnWindowFocus: false },
  },
});

const Loading = () => (
  <div style={{ display: 'flex', justifyContent: 'center', padding: 64 }}>
    <Spin />
  </div>
);

function Localized({ children }: { children: ReactNode }) {
  const { lang } = useI18n();
  return (
    // No space put between two Chinese characters on buttons ("登 录"): labels read as written.
    <ConfigProvider locale={lang === 'en' ? enUS : zhCN} button={{ autoInsertSpace: false }}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

/** First run, sign-in or the console, by what the server says. */
function Gate() {
  const setup = useSetupNeeded();
  const me = useMe();
  if (setup.isPending || me.isPending) return <Loading />;
  if (setup.data) {
    return (
      <Routes>
        <Route path="/setup" element={<SetupPage />} />
        <Route path="*" element={<Navigate to="/setup" replace />} />
      </Routes>
    );
  }
  if (!me.data) {
    return (
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="*" element={<Navigate to="/login" replace />} />
      </Routes>
    );
  }
  return <SignedIn me={me.data} />;
}

export function App() {
  return (
    <I18nProvider>
      <Localized>
        <QueryClientProvider client={queryClient}>
          <BrowserRouter basename="/console">
            <Suspense fallback={<Loading />}>
              <Gate />
            </Suspense>
          </BrowserRouter>
        </QueryClientProvider>
      </Localized>
    </I18nProvider>
  );
}
