import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import { api, ApiError, ok, setCsrfToken } from './client.ts';
import type { Lang, Me } from './types.ts';

/** Whether this installation still needs its owner (the first-run setup). */
export const useSetupNeeded = () =>
  useQuery({ queryKey: ['setup'], queryFn: async () => (await ok(api.GET('/api/v1/setup'))).needed, staleTime: Infinity });

/** Who is signed in (null: nobody); their session's CSRF token and chosen language take effect at once. */
export function useMe() {
  const { lang, setLang } = useI18n();
  const query = useQuery({
    queryKey: ['me'],
    queryFn: async (): Promise<Me | null> => {
      try {
        const me = await ok(api.GET('/api/v1/me'));
        if (me.csrfToken) setCsrfToken(me.csrfToken);
        return me;
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: Infinity,
  });
  const me = query.data;
  // Only a newly read person's choice applies; a switch made here is saved to them (useSwitchLanguage).
  useEffect(() => {
    if (me?.lang && me.lang !== lang) setLang(me.lang);
  }, [me]);
  return query;
}

/** Switches the console's language and remembers it for the signed-in person. */
export function useSwitchLanguage() {
  const { setLang } = useI18n();
  const client = useQueryClient();
  return async (next: Lang) => {
    setLang(next);
    await ok(api.PATCH('/api/v1/me', { body: { lang: next } }));
    client.setQueryData<Me | null>(['me'], (me) => (me ? { ...me, lang: next } : me));
    // Lists and errors already shown were in the other language.
    await client.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'me' && q.queryKey[0] !== 'setup' });
  };
}

export function useSignOut() {
  const client = useQueryClient();
  return async () => {
    await ok(api.DELETE('/api/v1/session'));
    setCsrfToken('');
    client.setQueryData(['me'], null);
    // What this person could see must not show to whoever signs in next on this browser.
    client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' && q.queryKey[0] !== 'setup' });
  };
}
