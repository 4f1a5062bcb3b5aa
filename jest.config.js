// Tests run on the Node 22 that package.json's `node` devDependency puts first on npm's PATH.
const ESM_ONLY = [
  'conf',
  'atomically',
  'stubborn-fs',
  'stubborn-utils',
  'when-exit',
  'debounce-fn',
  'mimic-function',
  'dot-prop',
  'type-fest',
  'env-paths',
  'uint8array-extras',
  'json-schema-typed',
];

const base = {
  transform: {
    '^.+\\.(t|j|mj)sx?$': [
      '@swc/jest',
      {
        jsc: { target: 'es2022', parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } } },
        module: { type: 'commonjs' },
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'cjs', 'json'],
  testEnvironment: 'node',
  globals: { __APP_VERSION__: '0.0.0-test' },
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts?(x)'] },
    { ...base, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'] },
    { ...base, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] },
  ],
  testTimeout: 60_000,
};
