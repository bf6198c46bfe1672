// Lint: typescript-eslint recommended, plus the house rule that pure folders never import `vscode` at run
// time (type-only imports are fine: they vanish at compile time).
import tseslint from 'typescript-eslint';

const pureFolders = ['src/inspector/**/*.ts', 'src/model/**/*.ts', 'src/shared/**/*.ts', 'src/cli/**/*.ts'];

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
  {
    files: pureFolders,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'Pure folders must not import vscode at run time (use `import type`).', allowTypeImports: true }],
        },
      ],
    },
  },
);
