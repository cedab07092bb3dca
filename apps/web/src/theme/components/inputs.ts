import type { Components, Theme } from '@mui/material/styles';

export const inputOverrides: Components<Theme> = {
  MuiButton: {
    defaultProps: { disableElevation: true },
    styleOverrides: { root: { textTransform: 'none', fontWeight: 600 } },
  },
  MuiToggleButton: {
    styleOverrides: { root: { textTransform: 'none' } },
  },
  MuiTab: {
    styleOverrides: { root: { textTransform: 'none', fontWeight: 600 } },
  },
  MuiTextField: {
    defaultProps: { size: 'small', fullWidth: true },
  },
  MuiFormControl: {
    defaultProps: { size: 'small' },
  },
  MuiSelect: {
    defaultProps: { size: 'small' },
  },
  MuiChip: {
    styleOverrides: { root: { fontWeight: 500 } },
  },
};
