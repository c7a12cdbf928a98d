// Jest runs in ESM mode (Nest 12 is ESM-only): see ENVIRONMENT-NOTES in shared/.
const swcTransform = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'es6' },
  },
];

export default {
  rootDir: '.',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swcTransform },
  moduleNameMapper: {
    '^#app/maintenance/vocabulary$': '<rootDir>/libs/maintenance/src/vocabulary/index.ts',
    '^#app/maintenance/incremental$': '<rootDir>/libs/maintenance/src/incremental/telemetry-segments.ts',
    '^#app/(.*)$': '<rootDir>/libs/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // The owner app imports the dashboard's shared modules by their URL (/dashboard/i18n.js), as the browser does.
    '^/dashboard/(.*)$': '<rootDir>/apps/api/public/$1',
  },
  testMatch: ['<rootDir>/apps/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts', '<rootDir>/test/**/*.e2e.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  // Integration tests share one Postgres, Redis and broker: run files one at a time.
  maxWorkers: 1,
  testTimeout: 120000,
  // A test that leaks a handle (a socket, a timer) must not hold the run open until CI's time limit;
  // failures are still reported as failures.
  forceExit: true,
};
