/** Design tokens: the only place with raw colour values. Everything else styles through the theme. */
export const brand = {
  50: '#eef2ff',
  100: '#dbe3ff',
  200: '#b8c6ff',
  300: '#8da2fb',
  400: '#6a80f2',
  500: '#4c63e0',
  600: '#3b4fc4',
  700: '#2f3f9e',
  800: '#27337d',
  900: '#1e275e',
} as const;

export const gray = {
  50: '#f7f8fa',
  100: '#eef0f4',
  200: '#dde1e8',
  300: '#c3c9d4',
  400: '#959eae',
  500: '#6b7485',
  600: '#4d5564',
  700: '#353c49',
  800: '#1f2430',
  900: '#141821',
  950: '#0d1016',
} as const;

export const signal = {
  green: { light: '#1f9d55', dark: '#4cc38a' },
  amber: { light: '#b7791f', dark: '#f0b429' },
  red: { light: '#d64545', dark: '#ff6b6b' },
  cyan: { light: '#0e7c86', dark: '#38bec9' },
} as const;

export const shape = { borderRadius: 10 } as const;

export const typography = {
  fontFamily: '"Inter", "Segoe UI", system-ui, -apple-system, Roboto, "Helvetica Neue", Arial, sans-serif',
  monoFamily: '"JetBrains Mono", "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace',
} as const;

/** Series colours for charts, readable on both backgrounds. */
export const chartPalette = [
  '#4c63e0',
  '#1f9d55',
  '#f0b429',
  '#d64545',
  '#38bec9',
  '#9b5de5',
  '#f15bb5',
  '#6b7485',
];
