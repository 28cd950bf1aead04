/**
 * The import rules of src/ (README, "Layout"). `npm test` runs them through
 * `npm run lint:imports`; `npm run graph` draws the same graph as an SVG.
 *
 * Features sit in layers: a feature imports only core/, http/, infra/ and the features
 * in the layers below its own, never one beside or above it.
 */
const LAYERS = [
  // People from an LDAP directory: every password check below the sign-in may ask it.
  ['directory'],
  ['password', 'health', 'home'],
  ['sessions'],
  ['mfa'],
  ['auth'],
  ['identities'],
  ['profile', 'credentials', 'appearance', 'provider'],
  // The account as a whole: its data export and "This wasn't me" reach every credential.
  ['account'],
  // The console shows and helps with everything a person has, and deletes a whole account as its owner would: it reaches every feature above.
  ['admin'],
  ['api', 'retention'],
];

const featureRules = LAYERS.flatMap((layer, level) => {
  const allowed = LAYERS.slice(0, level).flat();
  return layer.map((feature) => ({
    name: `feature-layers-${feature}`,
    comment: `${feature} may import only the features below its layer: ${allowed.join(', ') || 'none'}.`,
    severity: 'error',
    from: { path: `^src/features/${feature}/` },
    to: {
      path: '^src/features/([^/]+)/',
      pathNot: [`^src/features/${feature}/`, ...allowed.map((f) => `^src/features/${f}/`)],
    },
  }));
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle makes two modules one: neither can be read, tested or moved alone.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'infra-knows-no-app',
      comment: 'infra/ is the back-ends: it knows neither http/, core/ nor the features.',
      severity: 'error',
      from: { path: '^src/infra/' },
      to: { path: '^src/(http|core|features)/|^src/[^/]+\\.ts$' },
    },
    {
      name: 'http-knows-no-feature',
      comment: 'http/ is request plumbing shared by every feature: it names none of them.',
      severity: 'error',
      from: { path: '^src/http/' },
      to: { path: '^src/features/|^src/[^/]+\\.ts$', pathNot: '^src/config\\.ts$' },
    },
    {
      name: 'core-knows-no-feature',
      comment: 'core/ is what every feature may use: it uses none of them.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/features/|^src/[^/]+\\.ts$', pathNot: '^src/config\\.ts$' },
    },
    {
      name: 'features-know-no-composition-root',
      comment: 'The composition root (src/*.ts) builds the features; they do not reach back into it.',
      severity: 'error',
      from: { path: '^src/(features|core|http)/' },
      to: { path: '^src/(app|deps|composition-root|repositories|server|startup|cli|maintenance)\\.ts$' },
    },
    ...featureRules,
    {
      name: 'only-repositories-touch-knex',
      comment: 'Only *.repository.ts (and the database plumbing in infra/) import knex.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['\\.repository\\.ts$', '^src/infra/(db|knex-config|embedded-pg-client)\\.ts$', '^src/(deps|repositories)\\.ts$'] },
      to: { path: '^node_modules/(knex|pg|@electric-sql/pglite|knex-pglite)/' },
    },
    {
      name: 'no-service-imports-express',
      comment: 'Services never touch req/res: they are called by pages and API endpoints alike.',
      severity: 'error',
      from: { path: '\\.service\\.ts$|^src/core/' },
      to: { path: '^node_modules/express/|^src/http/(session|form|render|csrf|device|middleware/)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    includeOnly: '^src/|^node_modules/',
    exclude: { path: '^src/migrations/' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    reporterOptions: {
      dot: {
        collapsePattern: 'node_modules/(@[^/]+/[^/]+|[^/]+)',
        theme: { graph: { rankdir: 'LR', splines: 'ortho' } },
      },
    },
  },
};
