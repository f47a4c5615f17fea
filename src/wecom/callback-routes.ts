import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { errorBody } from '../http/errors.ts';
import { rawBodyFor } from '../http/raw-body.ts';
import type { Api } from '../http/api.ts';
import type { Clock } from '../shared/clock.ts';
import { CallbackCryptoError, type CallbackCrypto } from './callback-crypto.ts';
import { encryptedOf, MAX_CALLBACK_BYTES, parseMessage } from './callback-message.ts';
import type { WeComInbox } from './inbox.ts';
import { wecomSettingsViewSchema } from './model.ts';
import { wecomSettingsSchema, type WeComSettingsService } from './settings.ts';

/** A signed message older than this is a replay, not a WeCom retry (those come within seconds). */
const MAX_AGE_S = 10 * 60;

const signed = z.object({ msg_signature: z.string().regex(/^[0-9a-f]{40}$/), timestamp: z.string().regex(/^\d{1,12}$/), nonce: z.string().min(1).max(64) });

function refuse(reply: FastifyReply, why: string) {
  return reply.code(403).type('application/json').send({ error: { code: 'forbidden', message: `callback refused: ${why}` } });
}

/** Anything the callback format refuses answers 403; anything else is a real fault. */
function refused(reply: FastifyReply, error: unknown) {
  if (error instanceof CallbackCryptoError) return refuse(reply, `bad ${error.reason}`);
  throw error;
}

/**
 * Checks the age, then the signature over `encrypted`, and only then decrypts. A signed message
 * older than the window is a replay however well it is signed, for the URL check as for events.
 */
function openSigned(crypto: CallbackCrypto, q: z.output<typeof signed>, encrypted: string, nowMs: number): string {
  if (Math.abs(nowMs / 1000 - Number(q.timestamp)) > MAX_AGE_S) throw new CallbackCryptoError('timestamp');
  return crypto.open(q.msg_signature, q.timestamp, q.nonce, encrypted);
}

/** `/wecom/callback`: WeCom's URL check (GET) and its events (POST), in its signed, encrypted format. */
export function wecomCallbackRoutes(
  http: FastifyInstance,
  api: Api,
  settings: WeComSettingsService,
  inbox: WeComInbox,
  clock: Clock,
  /** Finds adds whose callback never came; how many. */
  reconcile: () => Promise<number>,
): void {
  rawBodyFor(http, ['text/xml', 'application/xml'], 'string', '/wecom/callback');

  http.get<{ Querystring: Record<string, string> }>('/wecom/callback', async (req, reply) => {
    const crypto = await settings.callbackCrypto();
    if (!crypto) return reply.code(404).send({ error: { code: 'not_found', message: 'WeCom is not set up: PUT /api/v1/wecom/settings first' } });
    const q = signed.extend({ echostr: z.string().min(1).max(2048) }).safeParse(req.query);
    if (!q.success) return refuse(reply, 'missing or malformed msg_signature, timestamp, nonce or echostr');
    let echo: string;
    try {
      echo = openSigned(crypto, q.data, q.data.echostr, clock.now());
    } catch (error) {
      return refused(reply, error);
    }
    return reply.type('text/plain').send(echo);
  });

  http.post<{ Querystring: Record<string, string>; Body: string }>('/wecom/callback', { bodyLimit: MAX_CALLBACK_BYTES }, async (req, reply) => {
    const crypto = await settings.callbackCrypto();
    if (!crypto) return reply.code(404).send({ error: { code: 'not_found', message: 'WeCom is not set up' } });
    const q = signed.safeParse(req.query);
    if (!q.success) return refuse(reply, 'missing or malformed msg_signature, timestamp or nonce');
    let fields: Record<string, string>;
    try {
      fields = parseMessage(openSigned(crypto, q.data, encryptedOf(typeof req.body === 'string' ? req.body : ''), clock.now()));
    } catch (error) {
      return refused(reply, error);
    }
    // Stored, then answered: the work happens after, so WeCom gets its answer well within its timeout.
    await inbox.receive(fields);
    return reply.type('text/plain').send('success');
  });

  api.document({
    method: 'GET', url: '/wecom/callback', tag: 'wecom',
    summary: 'WeCom URL verification: answers the decrypted echostr when msg_signature is right',
    responses: {
      200: { description: 'The echostr, decrypted', contentType: 'text/plain' },
      403: { description: 'Bad signature, format or timestamp', schema: errorBody },
    },
  });
  api.document({
    method: 'POST', url: '/wecom/callback', tag: 'wecom',
    summary: 'WeCom events (signed, AES-encrypted XML): verified, stored once (retries deduplicated), answered at once',
    responses: {
      200: { description: 'success', contentType: 'text/plain' },
      403: { description: 'Bad signature, format, padding, receiver or timestamp', schema: errorBody },
    },
  });

  api.route({
    method: 'PUT', url: '/api/v1/wecom/settings', scope: 'workspace', tag: 'wecom', permission: 'settings.manage', body: wecomSettingsSchema,
    audit: { action: 'wecom.settings', object: 'settings' },
    summary: 'Connect WeCom: corp id, app secret, callback token and EncodingAESKey (kept encrypted, never shown again), API base URL',
    responses: { 200: { description: 'The settings, without secrets', schema: wecomSettingsViewSchema } },
    handler: ({ body }) => settings.save(body),
  });
  api.route({
    method: 'POST', url: '/api/v1/wecom/reconcile', scope: 'workspace', tag: 'wecom', permission: 'settings.manage',
    audit: { action: 'wecom.reconcile', object: 'settings', callsOut: true },
    summary: 'Compare every member\'s WeCom customers with ours now (it also runs every 30 minutes): adds whose callback never came are recorded',
    responses: { 200: { description: 'How many adds were found', schema: z.object({ found: z.number() }) } },
    handler: async () => ({ found: await reconcile() }),
  });
  api.route({
    method: 'GET', url: '/api/v1/wecom/settings', scope: 'workspace', tag: 'wecom', permission: 'settings.manage',
    summary: 'The WeCom connection, without its secrets',
    responses: {
      200: {
        description: 'The settings, or corpId null when WeCom is not set up',
        schema: z.union([wecomSettingsViewSchema, z.object({ corpId: z.null() })]),
      },
    },
    handler: async () => (await settings.show()) ?? { corpId: null },
  });
}
