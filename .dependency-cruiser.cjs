// Import boundaries (`npx depcruise apps libs test` via `npm run lint`). The architecture the code already
// has, made executable: a rule here fails CI, so a new file cannot quietly cross a boundary.
// Paths are relative to the repository root; `#app/<lib>` resolves to libs/<lib>/src/index.ts through
// package.json "imports" (the "types" condition), so a lib import is seen as the lib's files.
const APPS = ['api', 'ingestion', 'worker', 'simulator', 'mail-sink'];
const NODE_IO = ['fs', 'fs/promises', 'net', 'http', 'https', 'http2', 'dgram', 'tls', 'child_process', 'cluster', 'worker_threads'];
const nodeIo = `^(node:)?(${NODE_IO.join('|').replaceAll('/', '\\/')})$`;

// Files that still use Prisma (PrismaService, the Prisma namespace, enum values) outside a repository. Listed by
// name so the rule is live for every other file; each entry goes when its queries move.
const PRISMA_OUTSIDE_REPOSITORIES = [
  // These open a transaction (TransactionRunner, the unit of work) and hand its handle to repositories; they write
  // no query themselves.
  'apps/api/src/appointments/appointments.service.ts',
  'apps/api/src/reminders/reminders.service.ts',
  'apps/api/src/call-list/call-list.service.ts',
  // TODO(issue 10.2): the service kinds and tyre positions become the maintenance vocabulary, not the database's.
  'apps/api/src/service-records/service-record.schema.ts',
  // TODO: the worker's services query Prisma directly too (issue 10.4 covers the API only).
  'apps/worker/src/delivery/notification-delivery.service.ts',
  'apps/worker/src/delivery/notification-sweep.service.ts',
  'apps/worker/src/reminders/reminder-evaluation.service.ts',
  'apps/worker/src/reminders/reminder-events.publisher.ts',
  'apps/worker/src/scoring/prediction.store.ts',
  // The store's SQL (the save's and scoringStart's texts, each one text for a car alone and for a batch), split out of it.
  'apps/worker/src/scoring/prediction.sql.ts',
  'apps/worker/src/scoring/scoring-start.sql.ts',
  'apps/worker/src/scoring/score-reconciler.service.ts',
  'apps/worker/src/scoring/vehicle-history.loader.ts',
  // Readiness pings the database itself: that is the check, not a query to move.
  'apps/api/src/health/readiness.service.ts',
  // A command-line entry point that opens its own client (no Nest container to inject one).
  'libs/broker-auth/src/cli/sync-broker-credentials.ts',
  'libs/broker-auth/src/cli/sync-nats-authorization.ts',
].map((file) => `^${file.replaceAll('.', '\\.')}$`);

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make load order matter and hide which module owns what.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'libs-not-to-apps',
      severity: 'error',
      comment: 'Libraries are shared by the apps; an app is never a library of anything.',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    ...APPS.map((app) => ({
      name: 'apps-not-to-other-apps',
      severity: 'error',
      comment: `apps/${app} shares code with the other apps through libs/, never by importing them.`,
      from: { path: `^apps/${app}/` },
      to: { path: '^apps/', pathNot: `^apps/${app}/` },
    })),
    {
      name: 'maintenance-is-pure',
      severity: 'error',
      comment:
        'libs/maintenance takes histories and returns predictions: no framework, database, queue, config or I/O ' +
        '(CONVENTIONS.md 8). The caller loads the data and passes `now`.',
      from: { path: '^libs/maintenance/' },
      to: {
        path: [
          '^libs/(database|queue|config|broker-auth|notifications|observability|auth)/',
          'node_modules/(@nestjs|@prisma|prisma|pg|pg-copy-streams|bullmq|ioredis|mqtt|aedes|nodemailer|web-push)/',
          nodeIo,
        ],
      },
    },
    {
      name: 'telemetry-knows-no-storage',
      severity: 'error',
      comment:
        'libs/telemetry is the device contract: parsing and normalising, not where samples are stored. Its test ' +
        'fixtures (libs/telemetry/fixtures, outside src) may read the configuration.',
      from: { path: '^libs/telemetry/src/' },
      to: { path: ['^libs/(database|queue|config)/', 'node_modules/(@prisma|prisma|pg|pg-copy-streams|bullmq|ioredis)/'] },
    },
    {
      name: 'prisma-only-in-repositories',
      severity: 'error',
      comment:
        'Queries live in *.repository.ts files (or libs/database itself), so every query carries its tenant scope in ' +
        'one place. Modules may wire DatabaseModule; `import type` (row and enum types) is fine anywhere; tests may ' +
        'seed through Prisma.',
      from: {
        path: '^(apps|libs)/',
        pathNot: ['\\.repository\\.ts$', '\\.module\\.ts$', '^libs/database/', '\\.spec\\.ts$', '\\.fixture\\.ts$', ...PRISMA_OUTSIDE_REPOSITORIES],
      },
      to: { path: ['^libs/database/', 'node_modules/@prisma/'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve is a typo or a missing dependency.',
      // The front-ends import each other by URL (/dashboard/…): the browser resolves those, not the file system.
      from: { pathNot: '^apps/api/(owner-app|public)/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^dist/', '^libs/database/src/generated/', '^coverage/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['types', 'import', 'node', 'default'],
      mainFields: ['types', 'module', 'main'],
      extensions: ['.ts', '.js', '.d.ts', '.json'],
    },
    // content, not git metadata: worktrees and CI clones share nothing else.
    cache: { folder: 'node_modules/.cache/dependency-cruiser', strategy: 'content' },
  },
};
