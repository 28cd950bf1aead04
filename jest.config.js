/**
 * Four projects: unit tests; the HTTP and integration suites on the embedded back-ends;
 * the same suites again on real PostgreSQL and Redis when TEST_DATABASE_URL and
 * TEST_REDIS_URL are set; and the browser suite (Debian's Chromium).
 */
const transform = {
  '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
};
const base = { testEnvironment: 'node', transform, moduleFileExtensions: ['ts', 'js', 'json'], testTimeout: 30000 };
const backendSuites = ['<rootDir>/test/http/**/*.test.ts', '<rootDir>/test/integration/**/*.test.ts'];
const realBackends = Boolean(process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL);

module.exports = {
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  maxWorkers: process.env.JEST_MAX_WORKERS || 2,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...base, displayName: 'embedded', testMatch: backendSuites, setupFiles: ['<rootDir>/test/setup/embedded.ts'] },
    ...(realBackends ? [{ ...base, displayName: 'real', testMatch: backendSuites, setupFiles: ['<rootDir>/test/setup/real.ts'] }] : []),
    { ...base, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.test.ts'], testTimeout: 60000 },
  ],
};
