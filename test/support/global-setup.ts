import type { TestProject } from 'vitest/node';
import { findPostgresBin, startPostgres, type PostgresServer } from './postgres.ts';

let server: PostgresServer | null = null;

/**
 * Starts one PostgreSQL cluster for the whole run, so the storage suite runs on both engines.
 * In CI a missing PostgreSQL is an error; on a laptop without it the PostgreSQL half is skipped.
 */
export async function setup(project: TestProject) {
  const bin = findPostgresBin();
  if (!bin) {
    if (process.env.CI) throw new Error('PostgreSQL is not installed; .ci/run installs it from Debian packages');
    console.warn('PostgreSQL not found: storage tests run on SQLite only (apt-get install postgresql)');
    project.provide('postgresUrl', '');
    return;
  }
  server = await startPostgres(bin);
  project.provide('postgresUrl', server.url);
}

export async function teardown() {
  await server?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}
