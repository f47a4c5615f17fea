import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { RateLimiter } from '../http/rate-limit.ts';
import { AppError, RateLimited } from '../shared/errors.ts';
import { randomChars } from '../shared/ids.ts';
import { createUserSchema, type UserService, type UserView } from './users.ts';

// No 0/O, 1/I/L: the code is read off a log and typed by hand.
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const ATTEMPTS_PER_MINUTE = 10;

export const setupSchema = createUserSchema.pick({ email: true, name: true, password: true }).extend({
  code: z.string().trim().min(1).max(40),
});

const digest = (code: string) => createHash('sha256').update(code.toUpperCase().replace(/[\s-]/g, '')).digest();

/**
 * The first run: while nobody can sign in, whoever holds this instance's one-time code (printed in
 * its log at start-up, so only someone who can read the server's output) may create the owner.
 * Used once: a second attempt, or any attempt once a person exists, is refused with 409.
 */
export class FirstRunSetup {
  private readonly code = [0, 1, 2].map(() => randomChars(CODE_ALPHABET, 4)).join('-');
  // Set with no await between the check and the claim, so two racing requests cannot both pass.
  private claimed = false;

  constructor(
    private readonly users: UserService,
    private readonly limiter: RateLimiter,
  ) {}

  /** The code to print at start-up, or null once anyone exists (then there is nothing to set up). */
  async codeToPrint(): Promise<string | null> {
    return (await this.users.anyone()) ? null : this.code;
  }

  async needed(): Promise<boolean> {
    return !this.claimed && !(await this.users.anyone());
  }

  async createOwner(input: z.output<typeof setupSchema>, ip: string): Promise<UserView> {
    const wait = await this.limiter.wait(`setup-ip:${ip}`, ATTEMPTS_PER_MINUTE);
    if (wait > 0) throw new RateLimited(`too many setup attempts; retry in ${wait} s`, wait);
    if (await this.users.anyone()) throw new AppError('conflict', 'the owner exists already; sign in instead');
    if (!timingSafeEqual(digest(input.code), digest(this.code))) {
      throw new AppError('forbidden', 'the setup code is wrong: copy it from the server log', 'code');
    }
    if (this.claimed) throw new AppError('conflict', 'the owner is being created already; sign in instead');
    this.claimed = true;
    try {
      return await this.users.create({ email: input.email, name: input.name, password: input.password, role: 'owner', departments: null });
    } catch (err) {
      // Nothing was created: the code stays good for another try.
      this.claimed = false;
      throw err;
    }
  }
}
