/** One Jest run for every tier: domain specs, the event-store contract, projections, e2e. */
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

module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/{apps,libs,test}/**/*.spec.ts'],
  // NestJS 12 ships ES modules only; Jest on Node 20 cannot require them, so they are compiled
  // to CommonJS like our own code (cached after the first run).
  transform: { '^.+\\.(ts|js|mjs)$': ['@swc/jest', swc] },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|@kurrent/bridge|jose)/)'],
  moduleNameMapper: {
    '^@tovholder/(domain|event-store|read-models)$': '<rootDir>/libs/$1/src',
    '^@tovholder/(domain|event-store|read-models)/(.*)$': '<rootDir>/libs/$1/src/$2',
  },
  globalSetup: '<rootDir>/test/support/global-setup.mjs',
  globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
  testTimeout: 30000,
  maxWorkers: 2,
};
