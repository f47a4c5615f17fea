import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What the scan path and the recorder report; Prometheus text at GET /metrics. */
export interface ScanMetrics {
  scanned(outcome: string): void;
  decided(seconds: number): void;
  committed(batchSize: number, seconds: number): void;
}

export interface Metrics {
  registry: Registry;
  scans: ScanMetrics;
  taskRan(task: string, result: string): void;
  webhookAttempt(result: string): void;
  /** Read at each scrape: deliveries waiting in the outbox. */
  outboxDepth(read: () => Promise<number>): void;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'huoma_' });
  const scans = new Counter({
    name: 'huoma_scans_total',
    help: 'Scans answered, by outcome (redirect, an inactive reason, not_found, unavailable)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const decision = new Histogram({
    name: 'huoma_decision_seconds',
    help: 'Time to decide a scan (rules and lifecycle), excluding recording',
    buckets: [1e-6, 5e-6, 1e-5, 5e-5, 1e-4, 5e-4, 1e-3, 5e-3],
    registers: [registry],
  });
  const batch = new Histogram({
    name: 'huoma_recorder_batch_size',
    help: 'Scans committed per transaction by the group-commit recorder',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
    registers: [registry],
  });
  const commit = new Histogram({
    name: 'huoma_recorder_commit_seconds',
    help: 'Time to commit one batch of scans',
    buckets: [1e-4, 5e-4, 1e-3, 2e-3, 5e-3, 1e-2, 2.5e-2, 5e-2, 0.1, 0.5],
    registers: [registry],
  });
  const taskRuns = new Counter({
    name: 'huoma_cluster_task_runs_total',
    help: 'Background task runs this instance claimed, by task and result (ok, failed)',
    labelNames: ['task', 'result'],
    registers: [registry],
  });
  const attempts = new Counter({
    name: 'huoma_webhook_attempts_total',
    help: 'Webhook delivery attempts made by this instance, by result (delivered, retry, failed = given up)',
    labelNames: ['result'],
    registers: [registry],
  });
  let readDepth: () => Promise<number> = async () => 0;
  new Gauge({
    name: 'huoma_webhook_outbox_depth',
    help: 'Webhook deliveries waiting to be delivered (the whole cluster)',
    registers: [registry],
    async collect() {
      this.set(await readDepth());
    },
  });
  return {
    registry,
    webhookAttempt: (result) => attempts.inc({ result }),
    outboxDepth: (read) => {
      readDepth = read;
    },
    taskRan: (task, result) => taskRuns.inc({ task, result }),
    scans: {
      scanned: (outcome) => scans.inc({ outcome }),
      decided: (seconds) => decision.observe(seconds),
      committed: (size, seconds) => {
        batch.observe(size);
        commit.observe(seconds);
      },
    },
  };
}
