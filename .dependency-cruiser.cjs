// Layers point one way (README "Layout"): `npm run lint` runs this over src/ and machines/ and fails on any edge below.
// Type-only imports count too (tsPreCompilationDeps): a layer that names another's types depends on it.

// Statecharts stay pure: no I/O, so a machine can be stepped and tested anywhere (ENGINEERING.md "Shape").
const IO_PACKAGES = '^node_modules/(mongoose|mongodb|nodemailer|node-cron|express|pino|better-sqlite3|smtp-server)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'machines-are-pure',
      comment: 'machines/ holds statecharts only: no src/, test/, Node built-ins or I/O packages; the engine supplies implementations with machine.provide().',
      severity: 'error',
      from: { path: '^machines/' },
      to: { path: ['^src/', '^test/', IO_PACKAGES] },
    },
    {
      name: 'machines-use-no-node-built-ins',
      comment: 'machines/ must not import Node built-ins (fs, net, http, child_process, crypto…).',
      severity: 'error',
      from: { path: '^machines/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'machines-import-only-what-resolves',
      comment: 'An import in machines/ that resolves to nothing cannot be checked for purity.',
      severity: 'error',
      from: { path: '^machines/' },
      to: { couldNotResolve: true },
    },
    {
      name: 'engine-knows-no-outer-layer',
      comment: 'src/engine defines the ports it needs (e.g. application-repository.ts); the store, HTTP, use cases, jobs and web depend on it, not the other way.',
      severity: 'error',
      from: { path: '^src/engine/' },
      to: { path: '^src/(store|http|use-cases|jobs|web)/' },
    },
    {
      name: 'use-cases-know-no-http',
      comment: 'Routes call use cases; a use case never reaches back into src/http.',
      severity: 'error',
      from: { path: '^src/use-cases/' },
      to: { path: '^src/http/' },
    },
    {
      name: 'store-knows-no-callers',
      comment: 'Repositories return plain records; they do not know HTTP, use cases or jobs.',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: '^src/(http|use-cases|jobs)/' },
    },
    {
      name: 'src-imports-no-tests',
      comment: 'The product does not run test code; shared helpers live in src/ and test/ imports them.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^test/' },
    },
    {
      name: 'only-scripts-import-the-bench',
      comment: 'src/bench is the npm run bench tool: scripts/ (and test/) may use it, the product may not.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/bench/' },
      to: { path: '^src/bench/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
