import type { FastifyRequest } from 'fastify';
import { readCookie } from '../http/cookies.ts';
import type { Actor } from '../shared/actor.ts';
import { AppError } from '../shared/errors.ts';
import { SESSION_COOKIE, type SessionService } from './sessions.ts';
import type { TokenService } from './tokens.ts';

/**
 * Who is calling the API: an API key in the Authorization header, else the console's session
 * cookie (with CSRF check on changes). Handed to the `Api` as its `Authenticate` port.
 */
export const requestAuthenticator = (tokens: TokenService, sessions: SessionService) => async (req: FastifyRequest): Promise<Actor> => {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    const actor = token ? await tokens.verify(token) : null;
    if (!actor) throw new AppError('unauthorized', 'the API key is unknown, revoked or expired');
    return actor;
  }
  const cookie = readCookie(req.headers.cookie, SESSION_COOKIE);
  const session = cookie ? await sessions.verify(cookie) : null;
  if (!session) throw new AppError('unauthorized', 'sign in, or send an API key as "Authorization: Bearer <key>"');
  // A cookie goes along with any request the browser makes, even one another site starts: a
  // change must also carry the token only our own page could have read.
  if (req.method !== 'GET' && req.method !== 'HEAD' && req.headers['x-csrf-token'] !== session.csrfToken) {
    throw new AppError('forbidden', 'a change made with the session cookie needs its X-CSRF-Token header', 'x-csrf-token');
  }
  return session.actor;
};
