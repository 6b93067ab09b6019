/**
 * Two projects: `unit` (domain and adapter specs, no database, seconds) and `integration` (the
 * event-store contract on PostgreSQL, projections, e2e over HTTP, the browser pages), which alone
 * starts the embedded PostgreSQL. `npm test` runs both; `npm run test:unit` runs the first alone.
 */
const swc = {
  swcrc: false,
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

// Specs that need the database (or a browser): everything under test/ and the PostgreSQL adapter.
const integrationSpecs = [
  '<rootDir>/test/**/*.spec.ts',
  '<rootDir>/libs/event-store/src/postgres/**/*.spec.ts',
];

const shared = {
  rootDir: '.',
  testEnvironment: 'node',
  // NestJS 12 ships ES modules only; Jest on Node 20 cannot require them, so they are compiled
  // to CommonJS like our own code (cached after the first run).
  transform: { '^.+\\.(ts|js|mjs)$': ['@swc/jest', swc] },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|@kurrent/bridge|jose)/)'],
  moduleNameMapper: {
    '^@tovholder/(domain|event-store|read-models)$': '<rootDir>/libs/$1/src',
    '^@tovholder/(domain|event-store|read-models)/(.*)$': '<rootDir>/libs/$1/src/$2',
  },
};

module.exports = {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/libs/event-store/src/postgres/'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: integrationSpecs,
      globalSetup: '<rootDir>/test/support/global-setup.mjs',
      globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
    },
  ],
  testTimeout: 30000,
  // Two cores: one worker per core; the embedded PostgreSQL shares them.
  maxWorkers: 2,
};
