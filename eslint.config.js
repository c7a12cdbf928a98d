// ESLint flat config. TypeScript: typescript-eslint strict + stylistic, type-checked (the type
// information comes from tsconfig.json through the project service). The browser front-ends are plain
// ES modules without a build: the JS recommended rules only, until they are typed (issue 10.6).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Spelled out instead of the `globals` package, which is not a dependency: what the front-ends use.
const browserGlobals = Object.fromEntries(
  [
    'window',
    'self',
    'document',
    'navigator',
    'location',
    'history',
    'localStorage',
    'sessionStorage',
    'fetch',
    'Request',
    'Response',
    'Headers',
    'URL',
    'URLSearchParams',
    'FormData',
    'XMLHttpRequest',
    'AbortController',
    'console',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'requestAnimationFrame',
    'Intl',
    'Notification',
    'PushManager',
    'ServiceWorkerRegistration',
    'caches',
    'clients',
    'atob',
    'btoa',
    'Event',
    'CustomEvent',
    'HTMLElement',
    'HTMLInputElement',
    'HTMLFormElement',
    'HTMLSelectElement',
    'Node',
    'structuredClone',
    'EventSource',
    'CSS',
    'confirm',
    'alert',
    'crypto',
    'TextEncoder',
    'TextDecoder',
    'Uint8Array',
    'echarts',
    'matchMedia',
    'ResizeObserver',
  ].map((name) => [name, 'readonly']),
);

const testFiles = ['test/**/*.ts', '**/*.spec.ts', '**/*.fixture.ts', '**/fixtures/**/*.ts'];

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'node_modules/', 'libs/database/src/generated/', '.local/'] },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.strictTypeChecked, ...tseslint.configs.stylisticTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['prisma.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Numbers print unambiguously; booleans, objects, null and undefined still need String() on purpose.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `() => void x()` shorthand arrows are how this code writes callbacks; the rule's point (using a
      // void value) is still caught by no-meaningless-void-operator and the type checker.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // tsconfig has no noUncheckedIndexedAccess, so every `values[i] === undefined` guard (the models check
      // their indexes on purpose) reads as "unnecessary"; removing those guards would change behaviour.
      '@typescript-eslint/no-unnecessary-condition': 'off',
      // Flags the object literals Nest's own API asks for (NestFactory.create options are declared as classes).
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
      // Raw SQL rows and wire values are typed more optimistically than they arrive (a count as bigint or text,
      // a topic as a Buffer): the Number()/String() calls are the runtime guarantee, not noise.
      '@typescript-eslint/no-unnecessary-type-conversion': 'off',
      // `!x || x.a !== b` reads as what it checks; `x?.a !== b` asks the reader to work out the undefined case.
      '@typescript-eslint/prefer-optional-chain': 'off',
      // `||` on strings treats '' as unset on purpose (an empty variable means "not configured"); explicit
      // ternaries and `if (x === null) x = ...` stay as written.
      '@typescript-eslint/prefer-nullish-coalescing': [
        'error',
        { ignorePrimitives: { string: true }, ignoreTernaryTests: true, ignoreIfStatements: true },
      ],
      // Nest modules are decorated empty classes by design.
      '@typescript-eslint/no-extraneous-class': ['error', { allowWithDecorator: true }],
      // CONVENTIONS.md 7: the environment is read once, in libs/config; feature code takes its settings as arguments.
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read the environment in libs/config (or test/, scripts/), and pass the value in.' },
      ],
      // Unused names prefixed with _ are deliberate (a positional parameter, a rest-sibling omission).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true, caughtErrors: 'none' },
      ],
    },
  },
  {
    files: testFiles,
    rules: {
      // supertest's `response.body` and JSON.parse are `any`; tests assert on them directly, so the
      // no-unsafe-* family would only ask for casts that prove nothing the assertion does not.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // In a test a `!` marks what the previous expectation established; a wrong one fails the test loudly.
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // Fakes implement async interfaces with bodies that need no await, no-op callbacks and empty classes;
      // specs read decorator metadata off unbound prototype methods; rejection handlers type what the
      // child process or broker rejects with.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-empty-function': 'off',
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/use-unknown-in-catch-callback-variable': 'off',
    },
  },
  {
    files: [
      'libs/config/**/*.ts',
      'test/**/*.ts',
      'scripts/**/*.ts',
      'prisma.config.ts',
      // TODO(issue 10.7): the simulator gets a config of its own; until then its entry point hands the
      // environment to libs/config with a placeholder DATABASE_URL.
      'apps/simulator/src/main.ts',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // TODO(issue 10.3): the typed job registry replaces these switches over `job.name` (a plain string in BullMQ).
    files: [
      'apps/worker/src/delivery/notification.processor.ts',
      'apps/worker/src/retention/retention.processor.ts',
      'apps/worker/src/scoring/scoring.processor.ts',
    ],
    rules: { '@typescript-eslint/no-unsafe-enum-comparison': 'off', '@typescript-eslint/no-unsafe-enum-assignment': 'off' },
  },
  {
    files: ['apps/api/owner-app/**/*.js', 'apps/api/public/**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'module', globals: browserGlobals },
  },
  {
    // The service worker is a classic script (no imports) run in a worker scope.
    files: ['apps/api/owner-app/sw.js'],
    languageOptions: { sourceType: 'script' },
  },
  {
    files: ['*.js', '*.cjs', 'scripts/**/*.cjs', 'scripts/**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', module: 'writable', require: 'readonly', __dirname: 'readonly' },
    },
  },
);
