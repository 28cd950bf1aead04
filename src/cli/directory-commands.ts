import { ConfigError } from '../config';
import { command, type Command } from './command';

/** The LDAP directory's operator command: the periodic sync, once, now. */
export const DIRECTORY_COMMANDS: Command[] = [
  command({
    name: 'directory:sync',
    forms: [
      {
        synopsis: 'directory:sync',
        summary: ['refresh the accounts of directory people now, and', 'lock those whose entry vanished or is disabled;', 'prints checked=, updated=, locked=, unchanged=, skipped='],
      },
    ],
    options: {},
    positionals: 0,
    needsSchema: true,
    input: () => undefined,
    async run(_input, { config, services, out }) {
      if (!config.directory) throw new ConfigError(['LDAP_URL: not set, so there is no directory to synchronise']);
      const summary = await services().directorySync.run();
      if (!summary) {
        out('Another process is synchronising the directory right now; nothing was done.');
        return;
      }
      out(`Synchronised ${summary.checked} directory account${summary.checked === 1 ? '' : 's'} with ${config.directory.url}.`);
      // Scripts read these lines: each on its own, exactly `name=value`.
      for (const [name, count] of Object.entries(summary)) out(`${name}=${count}`);
    },
  }),
];
