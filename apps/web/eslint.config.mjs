import pluginQuery from '@tanstack/eslint-plugin-query';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import root from '../../eslint.config.mjs';

const features = ['auth', 'keys', 'upstreams', 'client-keys', 'logs', 'stats', 'settings'];

export default tseslint.config(
  ...root,
  ...pluginQuery.configs['flat/recommended-strict'],
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  { files: ['e2e/**/*.mjs'], languageOptions: { globals: { ...globals.node, ...globals.browser } } },
  // Features stay independent: pages in app/routes put them together.
  ...features.map((feature) => ({
    files: [`src/features/${feature}/**`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@/features/*', `!@/features/${feature}`],
              message: 'Features must not import each other; compose them in app/routes.',
            },
            { group: ['@/app/*', '@/app'], message: 'Features must not import from app/.' },
            { group: ['../../*'], message: 'Use the @/ alias for imports outside this feature.' },
          ],
        },
      ],
    },
  })),
);
