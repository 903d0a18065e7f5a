import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

// What does I/O, or is an app: the pure libraries and the use case import none of it.
const IO = [
  'kafkajs',
  'ioredis',
  '@sekimori/kafka',
  '@sekimori/redis',
  '@sekimori/list-store',
  '**/apps/**',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read configuration through @sekimori/config.',
        },
      ],
    },
  },
  {
    files: ['libs/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['**/apps/**'] }] },
  },
  {
    // The pure libraries do no I/O: no Kafka, no Redis, no list files, no apps.
    files: ['libs/{contracts,chains,rules,identifiers,name-matching}/**/*.ts'],
    // The name engine's quality eval reads the shipped lists with their parsers.
    ignores: ['libs/name-matching/src/name-quality.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...IO, '@sekimori/list-sources'] }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // The fund-flow algorithms take their own input types: importing the rules' context would
    // bring back the type circle between them.
    files: ['libs/rules/src/fund-flows/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [...IO, '../context'],
        },
      ],
    },
  },
  {
    // The screening use case and its ports: the adapters depend on it, never the reverse.
    files: ['libs/screening/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [...IO, '@nestjs/*', '@sekimori/screening-*'],
        },
      ],
    },
  },
  {
    files: ['libs/config/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
