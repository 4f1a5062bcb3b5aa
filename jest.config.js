// Tests run on the Node 22 that package.json's `node` devDependency puts first on npm's PATH.
const fs = require('node:fs');
const path = require('node:path');

/**
 * Packages that ship only ES modules (conf and its dependencies, among others) must be compiled
 * to CommonJS for Jest; they are found by their package.json instead of listed by hand.
 */
function esmOnlyPackages() {
  const root = path.join(__dirname, 'node_modules');
  const names = [];
  for (const entry of fs.existsSync(root) ? fs.readdirSync(root) : []) {
    const dirs = entry.startsWith('@')
      ? fs.readdirSync(path.join(root, entry)).map((d) => `${entry}/${d}`)
      : [entry];
    for (const name of dirs) {
      try {
        const pkg = JSON.parse(fs.readFileSync(path.join(root, name, 'package.json'), 'utf8'));
        if (pkg.type === 'module') names.push(name.replace(/[.+]/g, '\\$&'));
      } catch {
        // not a package
      }
    }
  }
  return names;
}
const ESM_ONLY = esmOnlyPackages();

const base = {
  transform: {
    '^.+\\.(t|j|mj)sx?$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', tsx: true },
          transform: { react: { runtime: 'automatic' } },
        },
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
  reporters: ['default', '<rootDir>/test/support/summary-reporter.cjs'],
};
