import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

/** What the API answers on a refusal: `field` names the input (dotted: rules.0.url), `message` is in the console's language. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

const state = { lang: 'zh-CN', csrf: '' };

/** The language API errors come back in, and the CSRF token of the signed-in session. */
export const setRequestLanguage = (lang: string) => void (state.lang = lang);
export const setCsrfToken = (token: string) => void (state.csrf = token);

const headers: Middleware = {
  onRequest({ request }) {
    request.headers.set('accept-language', state.lang);
    if (request.method !== 'GET' && state.csrf) request.headers.set('x-csrf-token', state.csrf);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: '' });
api.use(headers);

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The answer's body, or an ApiError carrying the server's code, message and field. */
export async function ok<T>(call: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  const body = (error ?? {}) as { error?: { code?: string; message?: string; field?: string } };
  throw new ApiError(response.status, body.error?.code ?? 'error', body.error?.message ?? response.statusText, body.error?.field);
}
