/**
 * Projects: unit tests (with the OWASP ASVS map, which only reads files); the HTTP
 * and integration suites on the embedded back-ends; the same suites again on real
 * PostgreSQL and Redis when TEST_DATABASE_URL and TEST_REDIS_URL are set; the fuzz suites
 * (test/fuzz); the fault suites, which kill and restart servers of their own
 * (test/faults); and the browser suite (Debian's Chromium).
 */
const transform = {
  '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  // A few dependencies ship only ES modules (otplib's @scure/base and @noble/hashes, and those below):
  // Node loads them natively, Jest's module registry needs them as CommonJS.
  '^.+\\.m?js$': ['@swc/jest', { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
};
const escape = (glob) => glob.replace('<rootDir>', __dirname).replace(/[.]/g, '\\.');
const base = {
  testEnvironment: 'node',
  transform,
  // openid-client (the relying party) and oidc-provider (this service as a provider), with the
  // dependencies of theirs that ship only ES modules, are made CommonJS like the two above.
  transformIgnorePatterns: [
    '/node_modules/(?!(@scure|@noble|openid-client|oauth4webapi|jose|oidc-provider|got|@sindresorhus|@szmarczak|cacheable-lookup|cacheable-request|mimic-response|normalize-url|responselike|lowercase-keys|form-data-encoder|p-cancelable|nanoid|quick-lru)/)',
  ],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
};
const backendSuites = ['<rootDir>/test/http/**/*.test.ts', '<rootDir>/test/integration/**/*.test.ts'];
const realBackends = Boolean(process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL);
// Suites about HTTP itself (which routes exist, their headers, tokens and redirects) walk
// every route many times and store little: one back-end proves them. They run on the real
// back-ends when those are configured, else on the embedded one.
const httpMechanics = [
  'security/authorization-matrix',
  'security/cookies-over-https',
  'security/cross-origin',
  'security/csrf-route-walk',
  'security/file-names-and-paths',
  'security/headers-and-cookies',
  'security/open-redirect-return-links',
  'security/open-redirect-sign-in',
  'security/response-headers',
  'security/safe-methods',
  'security/secret-route-parameters',
  'security/signed-in-pages',
  'security/step-order',
  'security/step-up-doors',
  'api/openapi',
  // What an attacker tries against the OpenID Provider, and which redirect URIs it takes.
  'provider/attacks',
  'provider/registered-applications',
]
  .map((name) => `<rootDir>/test/http/${name}.test.ts`)
  // The private slapd's own check (test/helpers/slapd.ts) stores nothing in the database.
  .concat(['<rootDir>/test/integration/slapd-helper.test.ts']);
// Under CI the browser suite always runs (a missing Chromium fails it); elsewhere it
// runs where Debian's Chromium is installed, and global-setup says when it is not.
const browser = process.env.CI === 'true' || require('node:fs').existsSync('/usr/bin/chromium');
// The fault suites start, kill and restart PostgreSQL and Redis servers of their own from
// the system's packages; like the browser suite they always run under CI.
const faults = process.env.CI === 'true' || (require('node:fs').existsSync('/usr/lib/postgresql') && require('node:fs').existsSync('/usr/bin/redis-server'));

module.exports = {
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  maxWorkers: process.env.JEST_MAX_WORKERS || 2,
  // Each embedded database keeps tens of megabytes of WebAssembly memory: a worker that
  // grew past this after a file is replaced rather than left to run out.
  workerIdleMemoryLimit: '1GB',
  testTimeout: 60000,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/security/**/*.test.ts'] },
    { ...base, displayName: 'embedded', testMatch: backendSuites, testPathIgnorePatterns: realBackends ? httpMechanics.map(escape) : [], setupFiles: ['<rootDir>/test/setup/embedded.ts'] },
    ...(realBackends ? [{ ...base, displayName: 'real', testMatch: [...backendSuites, '<rootDir>/test/real/**/*.test.ts'], setupFiles: ['<rootDir>/test/setup/real.ts'] }] : []),
    // Hostile input by the thousand: on the real back-ends when they are configured.
    { ...base, displayName: 'fuzz', testMatch: ['<rootDir>/test/fuzz/**/*.test.ts'], setupFiles: [realBackends ? '<rootDir>/test/setup/real.ts' : '<rootDir>/test/setup/embedded.ts'] },
    ...(faults ? [{ ...base, displayName: 'faults', testMatch: ['<rootDir>/test/faults/**/*.test.ts'], setupFiles: ['<rootDir>/test/setup/real.ts'] }] : []),
    ...(browser ? [{ ...base, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.test.ts'] }] : []),
  ],
};
