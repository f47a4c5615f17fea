import type { FastifyInstance, FastifyReply } from 'fastify';
import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';
import type { Api } from '../http/api.ts';
import type { Clock } from '../shared/clock.ts';
import { CallbackCryptoError } from './callback-crypto.ts';
import type { WeComInbox } from './inbox.ts';
import { wecomSettingsSchema, type WeComSettingsService } from './settings.ts';

const xml = new XMLParser({ parseTagValue: false, processEntities: false });
const parseXml = (text: string): Record<string, string> => (xml.parse(text) as { xml?: Record<string, string> }).xml ?? {};
/** A signed message older than this is a replay, not a WeCom retry (those come within seconds). */
const MAX_AGE_S = 10 * 60;

const signed = z.object({ msg_signature: z.string().regex(/^[0-9a-f]{40}$/), timestamp: z.string().regex(/^\d{1,12}$/), nonce: z.string().min(1).max(64) });

function refuse(reply: FastifyReply, why: string) {
  return reply.code(403).send({ error: { code: 'forbidden', message: `callback refused: ${why}` } });
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
  http.addContentTypeParser(['text/xml', 'application/xml'], { parseAs: 'string' }, (_req, body, done) => done(null, body));

  http.get<{ Querystring: Record<string, string> }>('/wecom/callback', async (req, reply) => {
    const crypto = await settings.callbackCrypto();
    if (!crypto) return reply.code(404).send({ error: { code: 'not_found', message: 'WeCom is not set up: PUT /api/v1/wecom/settings first' } });
    const q = signed.extend({ echostr: z.string().min(1).max(2048) }).safeParse(req.query);
    if (!q.success) return refuse(reply, 'missing or malformed msg_signature, timestamp, nonce or echostr');
    try {
      return reply.type('text/plain').send(crypto.open(q.data.msg_signature, q.data.timestamp, q.data.nonce, q.data.echostr));
    } catch (error) {
      if (error instanceof CallbackCryptoError) return refuse(reply, error.reason);
      throw error;
    }
  });

  http.post<{ Querystring: Record<string, string>; Body: string }>('/wecom/callback', async (req, reply) => {
    const crypto = await settings.callbackCrypto();
    if (!crypto) return reply.code(404).send({ error: { code: 'not_found', message: 'WeCom is not set up' } });
    const q = signed.safeParse(req.query);
    if (!q.success) return refuse(reply, 'missing or malformed msg_signature, timestamp or nonce');
    if (Math.abs(clock.now() / 1000 - Number(q.data.timestamp)) > MAX_AGE_S) return refuse(reply, 'timestamp too old or in the future');
    const encrypted = typeof req.body === 'string' ? parseXml(req.body).Encrypt : undefined;
    if (!encrypted) return refuse(reply, 'no <Encrypt> in the body');
    let fields: Record<string, string>;
    try {
      fields = parseXml(crypto.open(q.data.msg_signature, q.data.timestamp, q.data.nonce, encrypted));
    } catch (error) {
      if (error instanceof CallbackCryptoError) return refuse(reply, error.reason);
      throw error;
    }
    // Stored, then answered: the work happens after, so WeCom gets its answer well within its timeout.
    await inbox.receive(fields);
    return reply.type('text/plain').send('success');
  });

  api.document({
    method: 'GET', url: '/wecom/callback', tag: 'wecom',
    summary: 'WeCom URL verification: answers the decrypted echostr when msg_signature is right',
    responses: { 200: { description: 'The echostr, decrypted', contentType: 'text/plain' }, 403: { description: 'Bad signature' } },
  });
  api.document({
    method: 'POST', url: '/wecom/callback', tag: 'wecom',
    summary: 'WeCom events (signed, AES-encrypted XML): verified, stored once (retries deduplicated), answered at once',
    responses: { 200: { description: 'success', contentType: 'text/plain' }, 403: { description: 'Bad signature, padding, receiver or timestamp' } },
  });

  api.route({
    method: 'PUT', url: '/api/v1/wecom/settings', scope: 'workspace', tag: 'wecom', permission: 'settings.manage', body: wecomSettingsSchema,
    audit: { action: 'wecom.settings', object: 'settings' },
    summary: 'Connect WeCom: corp id, app secret, callback token and EncodingAESKey (kept encrypted, never shown again), API base URL',
    responses: { 200: { description: 'The settings, without secrets' } },
    handler: ({ body }) => settings.save(body),
  });
  api.route({
    method: 'POST', url: '/api/v1/wecom/reconcile', scope: 'workspace', tag: 'wecom', permission: 'settings.manage', audit: { action: 'wecom.reconcile', object: 'settings', callsOut: true },
    summary: 'Compare every member\'s WeCom customers with ours now (it also runs every 30 minutes): adds whose callback never came are recorded',
    responses: { 200: { description: 'How many adds were found', schema: z.object({ found: z.number() }) } },
    handler: async () => ({ found: await reconcile() }),
  });
  api.route({
    method: 'GET', url: '/api/v1/wecom/settings', scope: 'workspace', tag: 'wecom', permission: 'settings.manage',
    summary: 'The WeCom connection, without its secrets',
    responses: { 200: { description: 'The settings, or null when WeCom is not set up' } },
    handler: async () => (await settings.show()) ?? { corpId: null },
  });
}
