import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'data/', 'test-output/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['public/js/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { window: 'readonly', document: 'readonly', location: 'readonly', Intl: 'readonly', navigator: 'readonly', fetch: 'readonly', URLSearchParams: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Blob: 'readonly', URL: 'readonly', FormData: 'readonly' } },
  },
  {
    // Browser scripts build the DOM with its methods and never run strings as code, so
    // nothing a server or a person typed can become markup or script (the CSP is the backstop).
    files: ['public/**/*.js'],
    rules: {
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      'no-restricted-properties': [
        'error',
        ...['innerHTML', 'outerHTML', 'insertAdjacentHTML'].map((property) => ({ property, message: 'Build elements with createElement, textContent and replaceChildren.' })),
        ...['write', 'writeln'].map((property) => ({ object: 'document', property, message: 'Build elements with createElement, textContent and replaceChildren.' })),
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.property.name='document'][property.name=/^(write|writeln)$/]", message: 'Build elements with createElement, textContent and replaceChildren.' },
      ],
    },
  },
  {
    files: ['*.js', '*.mjs', '*.cjs', '.*.cjs'],
    languageOptions: { globals: { module: 'writable', require: 'readonly', process: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
