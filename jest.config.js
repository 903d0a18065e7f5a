// Two projects: `unit` (pure, beside the code) and `integration` (real Kafka and Redis, under test/).
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

const moduleNameMapper = {
  '^@sekimori/(contracts|chains|sanctions|rules|kafka|config|redis|screening)$': '<rootDir>/libs/$1/src',
};

module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      roots: ['<rootDir>/apps', '<rootDir>/libs'],
      testMatch: ['**/*.spec.ts'],
      transform: { '^.+\\.ts$': swc },
      moduleNameMapper,
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.int-spec.ts'],
      transform: { '^.+\\.ts$': swc },
      moduleNameMapper,
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      slowTestThreshold: 30,
    },
  ],
};
