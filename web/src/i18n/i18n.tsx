import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import { setRequestLanguage } from '../api/client.ts';
import type { Lang } from '../api/types.ts';
import { en, zh, type Messages } from './messages.ts';

const STORED = 'huoma.lang';

interface I18n {
  lang: Lang;
  t: Messages;
  setLang(lang: Lang): void;
}

const Context = createContext<I18n | null>(null);

/** Chinese unless this browser chose English before; a signed-in person's own choice overrides it (see session.tsx). */
const initial = (): Lang => (localStorage.getItem(STORED) === 'en' ? 'en' : 'zh-CN');

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setState] = useState<Lang>(() => {
    const first = initial();
    setRequestLanguage(first);
    return first;
  });
  const value = useMemo<I18n>(
    () => ({
      lang,
      t: lang === 'en' ? en : zh,
      setLang(next) {
        localStorage.setItem(STORED, next);
        setRequestLanguage(next);
        document.documentElement.lang = next;
        setState(next);
      },
    }),
    [lang],
  );
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(Context);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
