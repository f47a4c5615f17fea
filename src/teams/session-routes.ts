import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { readCookie } from '../http/cookies.ts';
import type { Api } from '../http/api.ts';
import { parsePart } from '../http/validation.ts';
import { PERMISSIONS } from '../shared/actor.ts';
import type { AuditLog } from './audit.ts';
import { SESSION_COOKIE, SESSION_DAYS, type SessionService } from './sessions.ts';
import { userSchema } from './model.ts';
import { email, type UserService } from './users.ts';

const loginSchema = z.strictObject({ email, password: z.string().min(1).max(200), totp: z.string().max(10).optional() });
// Apps show "123 456": the space is allowed (totpStep reads the code without it).
const sixDigits = z.string().trim().regex(/^\d{3} ?\d{3}$/, 'must be the 6 digits the app shows');
const me = z.object({ id: z.string(), name: z.string(), role: z.string(), permissions: z.array(z.enum(PERMISSIONS)) });
export const LANGUAGES = ['zh-CN', 'en'] as const;
const meNow = me.extend({
  lang: z.enum(LANGUAGES).nullable().describe('The console language the signed-in person chose; null: not chosen, or an API key'),
  totp: z.boolean().nullable().describe('Whether the signed-in person has a second factor on; null for an API key'),
  csrfToken: z.string().optional().describe('With the session cookie: the X-CSRF-Token its changes must send (so a reloaded console can go on)'),
});
const language = (lang: string | null) => (LANGUAGES as readonly string[]).includes(lang ?? '') ? (lang as (typeof LANGUAGES)[number]) : null;

/** Console sign-in and the signed-in person's own settings. */
export function sessionRoutes(http: FastifyInstance, api: Api, sessions: SessionService, users: UserService, audit: AuditLog, secureCookies: boolean): void {
  const cookie = (value: string, maxAge: number) =>
    `${SESSION_COOKIE}=${value}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secureCookies ? '; Secure' : ''}`;

  http.post('/api/v1/session', async (req, reply) => {
    const body = parsePart(loginSchema, req.body, 'body');
    const { token, csrfToken, actor } = await sessions.login(body.email, body.password, body.totp, req.ip);
    await audit.append({ actor, ip: req.ip, action: 'session.login', objectType: 'user', objectId: actor.id, outcome: 'ok', detail: null });
    reply.header('set-cookie', cookie(token, SESSION_DAYS * 86_400));
    return { user: { id: actor.id, name: actor.name, role: actor.role, permissions: [...actor.permissions] }, csrfToken };
  });
  api.document({
    method: 'POST', url: '/api/v1/session', tag: 'session', body: loginSchema,
    summary:
      'Sign in to the console: sets an HttpOnly session cookie and answers the CSRF token that changes made with it must send as X-CSRF-Token. ' +
      '5 attempts a minute per account, 20 per address; `totp` when the account has a second factor',
    responses: {
      200: { description: 'Signed in', schema: z.object({ user: me, csrfToken: z.string() }) },
      401: { description: 'Wrong email, password or one-time code' },
      429: { description: 'Too many attempts' },
    },
  });

  api.route({
    method: 'DELETE', url: '/api/v1/session', tag: 'session', permission: 'codes.read',
    summary: 'Sign out: the session ends on the server, the cookie is cleared',
    responses: { 204: { description: 'Signed out' } },
    handler: async ({ req, reply }) => {
      const token = readCookie(req.headers.cookie, SESSION_COOKIE);
      if (token) await sessions.logout(token);
      reply.header('set-cookie', cookie('', 0));
    },
  });
  api.route({
    method: 'GET', url: '/api/v1/me', tag: 'session', permission: 'codes.read',
    summary: 'Who is calling: the signed-in user or the API key, with its role and permissions',
    responses: { 200: { description: 'The caller', schema: meNow } },
    handler: async ({ actor, req }) => {
      const token = req.headers.authorization ? undefined : readCookie(req.headers.cookie, SESSION_COOKIE);
      const session = token ? await sessions.verify(token) : null;
      const signedIn = session?.actor.id === actor.id ? session : null;
      return {
        id: actor.id, name: actor.name, role: actor.role, permissions: [...actor.permissions],
        lang: signedIn ? language(await users.language(actor.id)) : null,
        totp: signedIn ? (await users.get(actor.id)).totp : null,
        ...(signedIn ? { csrfToken: signedIn.csrfToken } : {}),
      };
    },
  });
  api.route({
    method: 'PATCH', url: '/api/v1/me', tag: 'session', permission: 'codes.read',
    audit: { action: 'user.language', object: 'user' },
    summary: 'The signed-in person’s own settings: `lang`, the console language (API errors come back in it)',
    body: z.strictObject({ lang: z.enum(LANGUAGES) }),
    responses: { 204: { description: 'Saved' }, 404: { description: 'The caller is an API key, not a person' } },
    handler: async ({ actor, body }) => {
      await users.setLanguage(actor.id, body.lang);
    },
  });
  api.route({
    method: 'POST', url: '/api/v1/me/totp', tag: 'session', permission: 'codes.read',
    audit: { action: 'user.totp.begin', object: 'user' },
    summary:
      'Start a second factor for the signed-in user: the secret and otpauth:// URL for an authenticator app. ' +
      'Replacing one that is on takes `code`, a current code from it; it stays in force until the new one is confirmed',
    body: z.strictObject({ code: sixDigits.optional() }).optional(),
    responses: {
      200: { description: 'Scan the URL as a QR code', schema: z.object({ secret: z.string(), otpauthUrl: z.string() }) },
      400: { description: 'A second factor is on and no `code` was sent' },
      403: { description: '`code` is wrong or used already' },
    },
    handler: ({ actor, body }) => users.beginTotp(actor.id, body?.code),
  });
  api.route({
    method: 'POST', url: '/api/v1/me/totp/confirm', tag: 'session', permission: 'codes.read',
    audit: { action: 'user.totp.enable', object: 'user' },
    summary: 'Turn the second factor on with a code from the app; sign-ins need a code from then on',
    body: z.strictObject({ code: sixDigits }),
    responses: { 200: { description: 'The user', schema: userSchema } },
    handler: ({ actor, body }) => users.confirmTotp(actor.id, body.code),
  });
}
