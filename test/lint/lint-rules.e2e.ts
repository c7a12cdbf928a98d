import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../support/project-root.js';

const run = promisify(execFile);

/**
 * The rules `npm run lint` enforces, shown to fail: each fixture below breaks one rule on purpose, and the real
 * configurations (.dependency-cruiser.cjs, eslint.config.js) must name that rule. The fixtures are written into
 * apps/ and libs/ for the run (the rules are about where a file lives) and removed afterwards; only they are
 * linted, not the whole tree.
 */
const tag = `lint-selftest-${process.pid}`;
const fixtures = {
  maintenanceImportsNest: `libs/maintenance/src/${tag}.ts`,
  maintenanceReadsFiles: `libs/maintenance/src/${tag}-io.ts`,
  appImportsApp: `apps/ingestion/src/${tag}.ts`,
  libImportsApp: `libs/queue/src/${tag}.ts`,
  telemetryImportsDatabase: `libs/telemetry/src/${tag}.ts`,
  serviceUsesPrisma: `apps/api/src/${tag}.service.ts`,
  repositoryUsesPrisma: `apps/api/src/${tag}.repository.ts`,
  cycleA: `libs/notifications/src/${tag}-a.ts`,
  cycleB: `libs/notifications/src/${tag}-b.ts`,
} as const;

const sources: Record<keyof typeof fixtures, string> = {
  maintenanceImportsNest: `import { Injectable } from '@nestjs/common';\nexport const used = Injectable;\n`,
  maintenanceReadsFiles: `import { readFileSync } from 'node:fs';\nexport const used = readFileSync;\n`,
  appImportsApp: `import { AppModule } from '../../api/src/app.module.js';\nexport const used = AppModule;\n`,
  libImportsApp: `import { WorkerModule } from '../../../apps/worker/src/worker.module.js';\nexport const used = WorkerModule;\n`,
  telemetryImportsDatabase:
    `import { DatabasePool } from '#app/database';\n` +
    `export const used = DatabasePool;\n` +
    `export const directory = (): string | undefined => process.env.OBD_DATA_DIR;\n`,
  serviceUsesPrisma: `import { PrismaService } from '#app/database';\nexport const used = PrismaService;\n`,
  repositoryUsesPrisma: `import { PrismaService } from '#app/database';\nexport const used = PrismaService;\n`,
  cycleA: `import { b } from './${tag}-b.js';\nexport const a = (): number => b() + 1;\n`,
  cycleB: `import { a } from './${tag}-a.js';\nexport const b = (): number => (Math.random() > 2 ? a() : 0);\n`,
};

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

interface EslintFileResult {
  filePath: string;
  messages: { ruleId: string | null; message: string }[];
}

/** A linter exits 1 when it reports violations, which is what these fixtures are for: keep its stdout. */
async function outputOf(command: string, args: string[]): Promise<string> {
  try {
    return (await run(command, args, { cwd: projectRoot, maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (error) {
    const stdout = (error as { stdout?: unknown }).stdout;
    if (typeof stdout === 'string' && stdout.length > 0) return stdout;
    throw error;
  }
}

let violations: Violation[] = [];
let eslintResults: EslintFileResult[] = [];

beforeAll(async () => {
  for (const key of Object.keys(fixtures) as (keyof typeof fixtures)[]) {
    const file = join(projectRoot, fixtures[key]);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, sources[key]);
  }
  const files = Object.values(fixtures);
  const [cruise, lint] = await Promise.all([
    // Depth 2: the fixtures and what they import, enough for every rule and the cycle; no cache, no whole tree.
    outputOf(process.execPath, [
      'node_modules/dependency-cruiser/bin/dependency-cruise.mjs',
      '--config',
      '.dependency-cruiser.cjs',
      '--no-cache',
      '--max-depth',
      '2',
      '--output-type',
      'json',
      ...files,
    ]),
    outputOf(process.execPath, [
      'node_modules/eslint/bin/eslint.js',
      '--no-cache',
      '--format',
      'json',
      fixtures.telemetryImportsDatabase,
      fixtures.cycleA,
    ]),
  ]);
  violations = (JSON.parse(cruise) as { summary: { violations: Violation[] } }).summary.violations;
  eslintResults = JSON.parse(lint) as EslintFileResult[];
}, 180_000);

afterAll(() => {
  for (const file of Object.values(fixtures)) rmSync(join(projectRoot, file), { force: true });
});

const rulesBroken = (from: string): string[] => [...new Set(violations.filter((v) => v.from === from).map((v) => v.rule.name))].sort();

describe('import boundaries (dependency-cruiser)', () => {
  it('keeps libs/maintenance free of the framework and of I/O', () => {
    expect(rulesBroken(fixtures.maintenanceImportsNest)).toEqual(['maintenance-is-pure']);
    expect(rulesBroken(fixtures.maintenanceReadsFiles)).toEqual(['maintenance-is-pure']);
  });

  it('stops an app importing another app, and a lib importing an app', () => {
    expect(rulesBroken(fixtures.appImportsApp)).toEqual(['apps-not-to-other-apps']);
    expect(rulesBroken(fixtures.libImportsApp)).toEqual(['libs-not-to-apps']);
  });

  it('keeps storage out of libs/telemetry', () => {
    // A value import of the database lib outside a repository breaks the Prisma rule as well.
    expect(rulesBroken(fixtures.telemetryImportsDatabase)).toEqual(['prisma-only-in-repositories', 'telemetry-knows-no-storage']);
  });

  it('allows Prisma in a repository and refuses it in a service', () => {
    expect(rulesBroken(fixtures.serviceUsesPrisma)).toEqual(['prisma-only-in-repositories']);
    expect(rulesBroken(fixtures.repositoryUsesPrisma)).toEqual([]);
  });

  it('refuses an import cycle', () => {
    // dependency-cruiser reports a cycle once, from the module where it meets it first.
    const cycle = violations.filter((v) => v.rule.name === 'no-circular');
    expect(new Set(cycle.flatMap((v) => [v.from, v.to]))).toEqual(new Set([fixtures.cycleA, fixtures.cycleB]));
  });
});

describe('eslint.config.js', () => {
  const rulesReported = (file: string): string[] => {
    const result = eslintResults.find((r) => r.filePath === join(projectRoot, file));
    if (result === undefined) throw new Error(`eslint did not report on ${file}`);
    return [...new Set(result.messages.map((m) => m.ruleId ?? `fatal: ${m.message}`))].sort();
  };

  it('refuses process.env outside libs/config', () => {
    expect(rulesReported(fixtures.telemetryImportsDatabase)).toEqual(['no-restricted-properties']);
  });

  it('passes a fixture that breaks no lint rule (its problem is the cycle, which is the import rules’ job)', () => {
    expect(rulesReported(fixtures.cycleA)).toEqual([]);
  });
});
