import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Paths whose values must never reach a log line, wherever they appear. */
const REDACT = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.password_confirm',
  '*.current_password',
  '*.token',
  '*.secret',
  '*.code',
  '*._csrf',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: REDACT, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}

