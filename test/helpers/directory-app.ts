import { describeApp, type StartOptions, type TestApp } from './app';
import { PrivateSlapd } from './slapd';

/**
 * An app whose people come from a private slapd (test/helpers/slapd.ts) started for the
 * file: the directory starts first, and the app is built with its settings plus `env`.
 */
export function describeDirectoryApp(env: Record<string, string> = {}, options: StartOptions & { tls?: boolean } = {}): { t: TestApp; slapd: PrivateSlapd } {
  const slapd = new PrivateSlapd();
  const settings: Record<string, string> = {};
  beforeAll(async () => {
    await slapd.start({ tls: options.tls ?? false });
    Object.assign(settings, slapd.env(), env);
  });
  afterAll(() => slapd.stop());
  return { t: describeApp(settings, options), slapd };
}
