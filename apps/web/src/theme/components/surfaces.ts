import type { Components, Theme } from '@mui/material/styles';

export const surfaceOverrides: Components<Theme> = {
  MuiPaper: {
    defaultProps: { elevation: 0 },
    styleOverrides: {
      // `theme.vars` so the border follows the active colour scheme (CSS variables), not the default one.
      root: ({ theme }) => ({
        backgroundImage: 'none',
        border: `1px solid ${(theme.vars ?? theme).palette.divider}`,
      }),
    },
  },
  MuiCard: {
    defaultProps: { variant: 'outlined' },
  },
  MuiAppBar: {
    defaultProps: { elevation: 0, color: 'inherit' },
    styleOverrides: {
      root: ({ theme }) => ({
        border: 0,
        borderBottom: `1px solid ${(theme.vars ?? theme).palette.divider}`,
      }),
    },
  },
  MuiDrawer: {
    styleOverrides: { paper: { borderTop: 0, borderBottom: 0 } },
  },
  MuiDialog: {
    styleOverrides: { paper: { border: 0 } },
  },
  MuiTableCell: {
    styleOverrides: {
      head: ({ theme }) => ({
        fontWeight: 600,
        color: (theme.vars ?? theme).palette.text.secondary,
        whiteSpace: 'nowrap',
      }),
    },
  },
};
