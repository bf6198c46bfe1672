// Lint: typescript-eslint recommended, plus the two house rules about imports:
// - imports only run down the floors of src/ (docs/ARCHITECTURE.md): a folder may import the floors below
//   it, never one above and never a sibling on its own floor, so the ground floor imports nothing of ours;
// - pure folders never import `vscode` at run time (type-only imports are fine: they vanish when compiled).
import tseslint from 'typescript-eslint';

/** The floors of src/, lowest first. `constants` and `extension` are files (src/constants.ts, src/extension.ts). */
const FLOORS = [
  ['core', 'constants'],
  ['inspector'],
  ['model'],
  ['shared'],
  ['cli', 'services'],
  ['actions'],
  ['views', 'portsInFiles', 'webview'],
  ['commands'],
  ['extension'],
];
const PURE = new Set(['core', 'constants', 'inspector', 'model', 'shared', 'cli']);

const vscodeAtRunTime = { name: 'vscode', message: 'Pure folders must not import vscode at run time (use `import type`).', allowTypeImports: true };

/** One rule block per room of src/: what it may not import, by the floor it stands on. */
function floorRules() {
  return FLOORS.flatMap((rooms, floor) =>
    rooms.map((room) => {
      const above = FLOORS.slice(floor + 1).flat();
      const siblings = rooms.filter((r) => r !== room);
      const banned = [...above, ...siblings];
      const isFile = room === 'constants' || room === 'extension';
      // A relative import that climbs to src/ and goes into a banned room: `../services/x`, `../../views`.
      // From src/extension.ts (a file at the top of src/) an import starts with `./`.
      const patterns = banned.length === 0 ? [] : [
        {
          regex: `^(\\.\\./)+(${banned.join('|')})(/|$)`,
          message: `src/${room}${isFile ? '.ts' : '/'} stands on floor ${floor}: it may import only the floors below it (see docs/ARCHITECTURE.md).`,
        },
      ];
      return {
        files: [isFile ? `src/${room}.ts` : `src/${room}/**/*.ts`],
        rules: {
          '@typescript-eslint/no-restricted-imports': ['error', { paths: PURE.has(room) ? [vscodeAtRunTime] : [], patterns }],
        },
      };
    }),
  );
}

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'out-*/**', 'node_modules/**', '.vscode-test/**', '.test-output/**', 'test/fixtures/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports (house style).' },
      ],
      eqeqeq: ['error', 'smart'],
    },
  },
  ...floorRules(),
  {
    // One rule for notifications (issue #20): VS Code turns `[label](command:…)` in a message into a link
    // that runs the command, so every notification and dialog goes through the prompt seam, which makes
    // its text inert (src/services/prompts.ts).
    files: ['src/**/*.ts'],
    ignores: ['src/services/prompts.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports (house style).' },
        {
          selector: 'MemberExpression[property.name=/^show(Information|Warning|Error)Message$/]',
          message: 'Notifications go through `prompt` (src/services/prompts.ts), which makes untrusted text inert.',
        },
      ],
    },
  },
  {
    // The webview's browser bundle may use only the protocol (src/shared) and the ground floor's pure
    // helpers: anything else would drag Node or vscode into a page.
    files: ['webview-ui/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'The webview runs in a browser: no vscode module.' }], patterns: [{ regex: '^\\.\\./src/(?!shared/|core/)', message: 'The webview imports only src/shared and src/core.' }] },
      ],
    },
  },
);
