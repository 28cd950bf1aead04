import cluster from 'node:cluster';
import { createServer, type Server } from 'node:http';
import { createApp } from './app';
import { EXIT_CONFIG, loadConfig, type Config } from './config';
import { closeDeps, createDeps, type Deps } from './deps';
import { createDb, migrateLatest } from './infra/db';
import { embeddedDirFor } from './infra/knex-config';
import { createLogger } from './infra/logger';
import { startMaintenance } from './maintenance';
import { checkStartup, startupRefusal } from './startup';

const SHUTDOWN_GRACE_MS = 10_000;

/** The one line for a port the service cannot listen on. */
function listenProblem(err: NodeJS.ErrnoException, port: number): string {
  if (err.code === 'EADDRINUSE') return `PORT: port ${port} is in use`;
  if (err.code === 'EACCES') return `PORT: not allowed to listen on port ${port} (permission denied)`;
  return `PORT: cannot listen on port ${port} (${err.message})`;
}

/**
 * Stops the start with one line and EXIT_CONFIG. A cluster worker hands the line to the
 * primary, which says it once for all workers and stops instead of starting others.
 */
function refuseToStart(line: string): void {
  if (cluster.isWorker && process.send) {
    process.send({ refused: line }, () => process.exit(EXIT_CONFIG));
    return;
  }
  console.error(line);
  process.exit(EXIT_CONFIG);
}

async function runWorker(config: Config, migrate: boolean): Promise<void> {
  const deps: Deps = await createDeps(config, { skipMigrations: !migrate });
  const { app, services } = createApp(deps);
  const server: Server = createServer(
    { headersTimeout: config.http.headersMs, requestTimeout: config.http.requestMs, connectionsCheckingInterval: config.http.checkIntervalMs },
    app,
  );
  // Longer than the 60 s idle timeout of common load balancers, so they close idle connections first.
  server.keepAliveTimeout = 65_000;
  server.once('error', (err: NodeJS.ErrnoException) => {
    void closeDeps(deps).finally(() => refuseToStart(listenProblem(err, config.port)));
  });
  server.listen(config.port, () => {
    deps.logger.info({ port: config.port, baseUrl: config.baseUrl.href, database: config.databaseUrl ? 'postgres' : 'embedded', sessions: config.redis ? `redis (${config.redis.kind})` : 'sql' }, `listening on ${config.baseUrl.href}`);
    serve(deps, server, startMaintenance(deps, services));
  });
}

/** Runs until SIGTERM or SIGINT, then drains in-flight requests and closes the pools. */
function serve(deps: Deps, server: Server, stopMaintenance: () => void): void {
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

/** Migrates once, then forks the workers and keeps them running; a worker that cannot start stops them all. */
async function runPrimary(config: Config): Promise<void> {
  const logger = createLogger(config.logLevel);
  const db = createDb({ databaseUrl: config.databaseUrl, embeddedDir: embeddedDirFor(config.dataDir) });
  await migrateLatest(db);
  await db.destroy();
  logger.info({ workers: config.webConcurrency }, 'starting workers');
  for (let i = 0; i < config.webConcurrency; i++) cluster.fork();
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
  };
  const refused = (line?: string) => {
    if (process.exitCode === EXIT_CONFIG) return;
    if (line) console.error(line);
    process.exitCode = EXIT_CONFIG;
    stop('SIGTERM');
  };
  cluster.on('message', (_worker, message: { refused?: unknown }) => {
    if (typeof message?.refused === 'string') refused(message.refused);
  });
  cluster.on('exit', (worker, code) => {
    if (stopping) return;
    if (code === EXIT_CONFIG) return refused();
    logger.error({ pid: worker.process.pid, code }, 'worker exited, starting another');
    cluster.fork();
  });
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

async function main(): Promise<void> {
  const config = loadConfig();
  // Before anything uses the pool (libuv sizes it on first use); workers inherit it.
  process.env.UV_THREADPOOL_SIZE = String(config.threadPoolSize);
  if (cluster.isWorker) return runWorker(config, false);
  await checkStartup(config);
  return config.webConcurrency > 1 ? runPrimary(config) : runWorker(config, true);
}

main().catch((err: unknown) => {
  const line = startupRefusal(err);
  if (line) return refuseToStart(line);
  console.error(err);
  process.exit(1);
});
