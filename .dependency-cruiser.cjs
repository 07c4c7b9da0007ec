// Layers point one way (README "Layout"): `npm run lint` runs this over src/ and machines/ and fails on any edge below.
// Type-only imports count too (tsPreCompilationDeps): a layer that names another's types depends on it.

// Statecharts stay pure: no I/O, so a machine can be stepped and tested anywhere (ENGINEERING.md "Shape").
const IO_PACKAGES = '^node_modules/(mongoose|mongodb|nodemailer|node-cron|express|pino|better-sqlite3|smtp-server)/';

// Every rule here is an error: `depcruise` then exits non-zero and `npm run lint` fails.
const forbid = (name, comment, from, to) => ({ name, comment, severity: 'error', from, to });

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    forbid('machines-are-pure', 'machines/ holds statecharts only: no src/, test/, Node built-ins or I/O packages; the engine supplies implementations with machine.provide().',
      { path: '^machines/' }, { path: ['^src/', '^test/', IO_PACKAGES] }),
    forbid('machines-use-no-node-built-ins', 'machines/ must not import Node built-ins (fs, net, http, child_process, crypto…).',
      { path: '^machines/' }, { dependencyTypes: ['core'] }),
    forbid('machines-import-only-what-resolves', 'An import in machines/ that resolves to nothing cannot be checked for purity.',
      { path: '^machines/' }, { couldNotResolve: true }),
    forbid('engine-knows-no-outer-layer', 'src/engine defines the ports it needs (e.g. application-repository.ts); the store, HTTP, use cases, jobs and web depend on it, not the other way.',
      { path: '^src/engine/' }, { path: '^src/(store|http|use-cases|jobs|web)/' }),
    forbid('use-cases-know-no-http', 'Routes call use cases; a use case never reaches back into src/http.',
      { path: '^src/use-cases/' }, { path: '^src/http/' }),
    forbid('store-knows-no-callers', 'Repositories return plain records; they do not know HTTP, use cases or jobs.',
      { path: '^src/store/' }, { path: '^src/(http|use-cases|jobs)/' }),
    forbid('src-imports-no-tests', 'The product does not run test code; shared helpers live in src/ and test/ imports them.',
      { path: '^src/' }, { path: '^test/' }),
    forbid('only-scripts-import-the-bench', 'src/bench is the npm run bench tool: scripts/ (and test/) may use it, the product may not.',
      { path: '^src/', pathNot: '^src/bench/' }, { path: '^src/bench/' }),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
