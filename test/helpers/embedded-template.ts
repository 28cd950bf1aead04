import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import knexFactory from 'knex';
import { migrations } from '../../migrations';
import { knexConfig } from '../../src/infra/knex-config';

/**
 * Creating an embedded database runs initdb inside WebAssembly (seconds); loading a copy of
 * one already created and migrated takes a fraction of that. The copy lives in the temp
 * folder under a name derived from the migrations and the PGlite version, so every test file
 * (each in its own module registry) shares it and a new migration makes a new one.
 */
function templatePath(): string {
  const version = (JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8')) as { version: string }).version;
  const sources = Object.keys(migrations)
    .map((name) => fs.readFileSync(path.join(__dirname, '..', '..', 'migrations', `${name}.ts`), 'utf8'))
    .join('\n');
  const digest = crypto.createHash('sha256').update(version).update(sources).digest('hex').slice(0, 16);
  return path.join(os.tmpdir(), `atrium-embedded-template-${digest}.tar`);
}

async function createTemplate(file: string): Promise<void> {
  const pglite = await PGlite.create();
  const db = knexFactory(knexConfig({ embeddedDir: pglite }));
  try {
    await db.migrate.latest();
    const dump = await pglite.dumpDataDir('none');
    // Written aside and renamed, so a file running at the same time never reads half of it.
    const partial = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
    fs.writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    fs.renameSync(partial, file);
  } finally {
    await db.destroy();
  }
}

/** A new in-memory embedded database with every migration applied. */
export async function migratedEmbeddedDatabase(): Promise<PGlite> {
  const file = templatePath();
  if (!fs.existsSync(file)) await createTemplate(file);
  return PGlite.create({ loadDataDir: new Blob([fs.readFileSync(file)]) });
}
