import { runCli } from './cli/run';

/** `npm run cli -- <command>`: see src/cli/commands.ts for the commands and `help` for their usage. */
runCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
