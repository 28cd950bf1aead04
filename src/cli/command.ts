import type { Config } from '../config';
import type { Deps } from '../deps';
import type { Services } from '../composition-root';
import { parseArguments, type OptionsConfig, type ParsedArguments } from './arguments';

export interface CommandContext {
  deps: Deps;
  config: Config;
  services(): Services;
  /** A line for the operator (stdout). */
  out(line: string): void;
}

/** One way to call a command, as the usage shows it. */
export interface CommandForm {
  synopsis: string;
  summary: string[];
}

export interface Command {
  name: string;
  forms: CommandForm[];
  options: OptionsConfig;
  /** How many arguments it takes besides options (the username, for commands on one account). */
  positionals: number;
  /** Refused on a database that is not fully migrated. */
  needsSchema: boolean;
  /** Checks the arguments (UsageError) before anything is opened, and returns what then runs. */
  prepare(args: string[]): (context: CommandContext) => Promise<void>;
}

interface Definition<T> extends Omit<Command, 'prepare'> {
  input(args: ParsedArguments): T;
  run(input: T, context: CommandContext): Promise<void>;
}

export function command<T>(definition: Definition<T>): Command {
  const { input, run, ...rest } = definition;
  return {
    ...rest,
    prepare(args) {
      const value = input(parseArguments(args, definition.options, definition.positionals));
      return (context) => run(value, context);
    },
  };
}
