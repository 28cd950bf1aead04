import cluster from 'node:cluster';
import type { Server } from 'node:http';
import { createApp } from './app';
import { ConfigError, loadConfig, type Config } from './config';
import { closeDeps, createDeps, type Deps } from './deps';
import { createDb, migrateLatest } from './infra/db';
import { embeddedDirFor } from './infra/knex-config';
import { createLogger } from './infra/logger';
import { startMaintenance } from './maintenance';

const SHUTDOWN_GRACE_MS = 10_000;

async function runWorker(config: Config, migrate: boolean): Promise<void> {
  const deps: Deps = await createDeps(config, { skipMigrations: !migrate });
  const { app, services } = createApp(deps);
  const stopMaintenance = startMaintenance(deps, services);
  const server: Server = app.listen(config.port, () => {
    deps.logger.info({ port: config.port, baseUrl: config.baseUrl.href, database: config.databaseUrl ? 'postgres' : 'embedded', sessions: config.redisUrl ? 'redis' : 'sql' }, `listening on ${config.baseUrl.href}`);
  });
  server.keepAliveTimeout = 65_000;

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    deps.logger.info({ signal }, 'draining in-flight requests');
    stopMaintenance();
    const force = setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS);
    force.unref();
    server.close(() => {
      void closeDeps(deps).finally(() => process.exit(0));
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  if (config.webConcurrency <= 1) return runWorker(config, true);

  if (cluster.isPrimary) {
    // Migrate once, before any worker serves a request.
    const db = createDb({ databaseUrl: config.databaseUrl, embeddedDir: embeddedDirFor(config.dataDir) });
    await migrateLatest(db);
    await db.destroy();
    logger.info({ workers: config.webConcurrency }, 'starting workers');
    for (let i = 0; i < config.webConcurrency; i++) cluster.fork();
    let stopping = false;
    cluster.on('exit', (worker, code) => {
      if (stopping) return;
      logger.error({ pid: worker.process.pid, code }, 'worker exited, starting another');
      cluster.fork();
    });
    const stop = (signal: NodeJS.Signals) => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    return;
  }
  return runWorker(config, false);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
