/** An error a client caused or can act on; the HTTP layer maps it to its status and JSON body. */
export type ErrorCode =
  | 'validation_failed'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'unavailable';

const statusByCode: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
};

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.status = statusByCode[code];
  }

  toJSON() {
    return { error: { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) } };
  }
}

/** 429: too many requests (or 503: too many from everyone); `retryAfter` seconds go out as the Retry-After header. */
export class RateLimited extends AppError {
  constructor(
    message: string,
    readonly retryAfter: number,
    code: 'rate_limited' | 'unavailable' = 'rate_limited',
  ) {
    super(code, message);
  }
}

/**
 * A refusal that rests on something written first (a proposal marked `conflict`): what was written
 * stands, the change asked for is refused. Thrown inside an API change's transaction, that
 * transaction commits (with no log entry, nothing asked for was done) and then this is answered.
 */
export class RecordedRefusal extends AppError {}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
export const invalid = (field: string, message: string) => new AppError('validation_failed', message, field);
