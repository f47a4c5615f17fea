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
  throw refusal(response, error);
}

type Refusal = { error?: { code?: string; message?: string; field?: string } };

/** The server's `{error:{code,message,field}}` as an ApiError (the status text where the body has none). */
export const refusal = (response: Response, body: unknown) => {
  const { error } = (body ?? {}) as Refusal;
  return new ApiError(response.status, error?.code ?? 'error', error?.message ?? response.statusText, error?.field);
};

/**
 * A file sent as the raw request body with its own Content-Type (a logo, a material), as the API
 * takes uploads; signed-in changes carry the CSRF token. Resolves with the response, or throws
 * the server's refusal as an ApiError (a wrong type, too big, not an image).
 */
export async function sendFile(method: 'PUT' | 'POST', url: string, file: Blob): Promise<Response> {
  const response = await fetch(url, {
    method,
    body: file,
    headers: { 'content-type': file.type || 'application/octet-stream', 'accept-language': state.lang, 'x-csrf-token': state.csrf },
  });
  if (response.ok) return response;
  throw refusal(response, await response.json().catch(() => null));
}
