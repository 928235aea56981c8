// Four projects: unit tests (*.spec.ts, pure logic, beside the code), end-to-end tests
// (*.e2e-spec.ts, against the real RabbitMQ and MySQL), the reliability suite
// (*.rel-spec.ts: real processes and faults; `npm run test:reliability`) and the cluster suite
// (*.cluster-spec.ts: a three-node RabbitMQ cluster of its own; `npm run test:cluster`). `npm test` runs the first
// two, in band: the e2e tests share one broker and database server and the machine has two cores.
//
// NestJS 12 ships as ES modules. Node 20 loads them from CommonJS (require(esm)), Jest 30 on
// Node 20 does not, so @nestjs/* and zod are compiled to CommonJS by swc like our own sources.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

const shared = {
  rootDir: __dirname,
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|zod)/)'],
  // A library's package name resolves to its sources.
  moduleNameMapper: { '^@reliable-payments/([a-z-]+)$': '<rootDir>/libs/$1/src' },
  testEnvironment: 'node',
};

module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,tools,bench}/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/{apps,libs,test}/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
    {
      ...shared,
      displayName: 'cluster',
      testMatch: ['<rootDir>/test/cluster/**/*.cluster-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
    {
      // The nemesis (*.nemesis-spec.ts: seeded random faults on the cluster in namespaces; `npm run test:nemesis`).
      ...shared,
      displayName: 'nemesis',
      testMatch: ['<rootDir>/test/nemesis/**/*.nemesis-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
    {
      // The compose demo on a real Docker engine (`npm run compose:images && npm run test:compose`).
      ...shared,
      displayName: 'compose',
      testMatch: ['<rootDir>/test/compose/**/*.compose-spec.ts'],
    },
    {
      ...shared,
      displayName: 'reliability',
      testMatch: ['<rootDir>/test/reliability/**/*.rel-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
  ],
  // Global options (Jest ignores them inside a project). Tests wait with deadline-bound polls;
  // this only stops a hung test.
  testTimeout: 120_000,
  slowTestThreshold: 30,
};
