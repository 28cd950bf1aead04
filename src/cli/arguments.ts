import { parseArgs, type ParseArgsConfig } from 'node:util';

export type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** Wrong arguments: the message, then the command's usage (exit code 64). */
export class UsageError extends Error {}

export interface ParsedArguments {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** Parses strictly: an unknown option or a positional the command does not take is a UsageError. */
export function parseArguments(args: string[], options: OptionsConfig, maxPositionals: number): ParsedArguments {
  let parsed: ParsedArguments;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: true }) as ParsedArguments;
  } catch (err) {
    const { code, message } = err as { code?: string; message: string };
    const option = /'(--?[\w-]+)/.exec(message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`unknown option ${option}`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new UsageError(`${option} needs a value`);
    throw new UsageError(message);
  }
  const extra = parsed.positionals[maxPositionals];
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
  return parsed;
}

/**
 * The account a command acts on: its username on its own or after one of the given
 * flags (--user, and --admin for users:promote), exactly once.
 */
export function usernameFrom({ values, positionals }: ParsedArguments, flags: string[]): string {
  const given = [...flags.map((flag) => values[flag]), positionals[0]].filter((value): value is string => typeof value === 'string');
  if (given.length === 0) throw new UsageError('give the username');
  if (given.length > 1) throw new UsageError('give the username once');
  return given[0] as string;
}
