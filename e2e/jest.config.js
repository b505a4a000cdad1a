/** End-to-end tier: real deploys (see e2e/README.md). Run with `npm run e2e` after `. e2e/.work/env.sh`. */
module.exports = {
  testEnvironment: 'node',
  rootDir: '..',
  roots: ['<rootDir>/e2e/tests'],
  testMatch: ['**/*.e2e.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }] },
  // One Docker engine, one registry: suites run one after another.
  maxWorkers: 1,
  testTimeout: 15 * 60 * 1000,
  verbose: true,
};
