import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/infra/logger';

/** A real logger (with the service's redaction) whose lines the test can read. */
export function captureLogs(level = 'info'): { logger: Logger; text(): string } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger(level, sink), text: () => lines.join('') };
}
