import { CssBaseline } from '@mui/material';
import { createTheme, ThemeProvider } from '@mui/material/styles';
import type { ReactNode } from 'react';
import { inputOverrides } from './components/inputs';
import { surfaceOverrides } from './components/surfaces';
import { brand, gray, shape, signal, typography } from './primitives';

declare module '@mui/material/styles' {
  interface TypographyVariants {
    mono: React.CSSProperties;
  }
  interface TypographyVariantsOptions {
    mono?: React.CSSProperties;
  }
}
declare module '@mui/material/Typography' {
  interface TypographyPropsVariantOverrides {
    mono: true;
  }
}

export const appTheme = createTheme({
  // CSS variables + class selector: the mode follows the system until the admin picks one (persisted).
  cssVariables: { colorSchemeSelector: 'class' },
  colorSchemes: {
    light: {
      palette: {
        primary: { main: brand[500], light: brand[300], dark: brand[700], contrastText: '#fff' },
        success: { main: signal.green.light },
        warning: { main: signal.amber.light },
        error: { main: signal.red.light },
        info: { main: signal.cyan.light },
        background: { default: gray[50], paper: '#fff' },
        divider: gray[200],
        text: { primary: gray[900], secondary: gray[500] },
      },
    },
    dark: {
      palette: {
        primary: { main: brand[300], light: brand[200], dark: brand[500], contrastText: gray[950] },
        success: { main: signal.green.dark },
        warning: { main: signal.amber.dark },
        error: { main: signal.red.dark },
        info: { main: signal.cyan.dark },
        background: { default: gray[950], paper: gray[900] },
        divider: gray[800],
        text: { primary: gray[100], secondary: gray[400] },
      },
    },
  },
  shape,
  typography: {
    fontFamily: typography.fontFamily,
    h4: { fontWeight: 700, fontSize: '1.6rem' },
    h5: { fontWeight: 700 },
    h6: { fontWeight: 600, fontSize: '1.05rem' },
    subtitle2: { fontWeight: 600 },
    mono: { fontFamily: typography.monoFamily, fontSize: '0.8125rem' },
  },
  components: { ...inputOverrides, ...surfaceOverrides },
});

export function AppTheme({ children }: { children: ReactNode }) {
  return (
    <ThemeProvider theme={appTheme} defaultMode="system" modeStorageKey="keypool.colorMode">
      <CssBaseline enableColorScheme />
      {children}
    </ThemeProvider>
  );
}
