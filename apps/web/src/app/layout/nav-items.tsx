import BadgeIcon from '@mui/icons-material/BadgeOutlined';
import CloudIcon from '@mui/icons-material/CloudOutlined';
import DashboardIcon from '@mui/icons-material/SpaceDashboardOutlined';
import InsightsIcon from '@mui/icons-material/InsightsOutlined';
import ReceiptIcon from '@mui/icons-material/ReceiptLongOutlined';
import SettingsIcon from '@mui/icons-material/SettingsOutlined';
import KeyIcon from '@mui/icons-material/VpnKeyOutlined';
import type { ReactNode } from 'react';
import { paths } from '@/config/paths';

export const NAV_ITEMS: Array<{ to: string; label: string; icon: ReactNode }> = [
  { to: paths.dashboard, label: 'Dashboard', icon: <DashboardIcon /> },
  { to: paths.keys, label: 'Keys', icon: <KeyIcon /> },
  { to: paths.upstreams, label: 'Upstreams', icon: <CloudIcon /> },
  { to: paths.clientKeys, label: 'Client keys', icon: <BadgeIcon /> },
  { to: paths.logs, label: 'Logs', icon: <ReceiptIcon /> },
  { to: paths.stats, label: 'Stats', icon: <InsightsIcon /> },
  { to: paths.settings, label: 'Settings', icon: <SettingsIcon /> },
];
