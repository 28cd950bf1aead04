import { loadConfig } from './src/config';
import { embeddedDirFor, knexConfig } from './src/infra/knex-config';

/**
 * For knex's own CLI (`npx tsx node_modules/knex/bin/cli.js migrate:status`). The service
 * and `npm run cli -- migrate` build the very same configuration through knexConfig().
 */
const config = loadConfig();
export default knexConfig({ databaseUrl: config.databaseUrl, embeddedDir: embeddedDirFor(config.dataDir) });
