import { ConfigError, type Config } from './config';
import { checkBackends } from './infra/backend-checks';
import { DataDirInUseError } from './infra/data-dir-lock';

/**
 * What the server and the operator commands check before opening anything for good:
 * DATA_DIR can be written (when the embedded database or mail files use it), and
 * PostgreSQL and Redis answer, let us in and are recent enough.
 */
export async function checkStartup(config: Config): Promise<void> {
  const usesDataDir = !config.databaseUrl || config.mailTransport === 'file';
  const problems = await checkBackends({ dataDir: usesDataDir ? config.dataDir : undefined, databaseUrl: config.databaseUrl, redis: config.redis });
  if (problems.length > 0) throw new ConfigError(problems);
}

/** The line(s) to print for a failure that means "fix the settings, then start again" (exit code 78). */
export function startupRefusal(err: unknown): string | undefined {
  return err instanceof ConfigError || err instanceof DataDirInUseError ? err.message : undefined;
}
