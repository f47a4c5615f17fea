import { afterAll, describe, expect, it } from 'vitest';
import { RateLimited } from '../shared/errors.ts';
import { WorkerPool } from './pool.ts';

describe('admission to the worker pool', () => {
  const pool = new WorkerPool({ threads: 1, admitted: 3, perCaller: 2 });
  afterAll(() => pool.close());

  const refusal = (caller: string) => {
    try {
      pool.admit(caller);
    } catch (error) {
      return error instanceof RateLimited ? { status: error.status, retryAfter: error.retryAfter } : error;
    }
    return null;
  };

  it('refuses a caller past its share with 429, everyone past the instance bound with 503, and frees places on release', () => {
    const a1 = pool.admit('a');
    pool.admit('a');
    expect(refusal('a')).toEqual({ status: 429, retryAfter: 2 });
    const b1 = pool.admit('b');
    expect(refusal('c')).toEqual({ status: 503, retryAfter: 2 });
    b1();
    b1(); // a second release frees nothing more
    const c1 = pool.admit('c');
    expect(refusal('d')).toEqual({ status: 503, retryAfter: 2 });
    a1();
    expect(refusal('a')).toEqual(null);
    c1();
  });

  it('runs a job in a worker thread and returns its result', async () => {
    const parsed = await pool.run('parseStoreCsv', 'name,province,city,address,lat,lng\n店,上海,上海,路 1 号,31.2,north\n', 'wgs84');
    expect(parsed).toMatchObject({ total: 1, rows: [], problems: [{ row: 2, field: 'lng' }] });
  });
});
