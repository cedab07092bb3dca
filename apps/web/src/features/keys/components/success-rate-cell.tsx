import { Tooltip, Typography } from '@mui/material';
import { formatNumber, formatPercent } from '@/lib/format';
import type { KeyUsage } from './types';

interface SuccessRateCellProps {
  usage: KeyUsage | undefined;
  /** Attempts on this key today (every try counts, failed-over ones too). */
  attemptsToday: number;
}

function plural(n: number, word: string): string {
  return `${formatNumber(n)} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * What the Success column shows. The stats count a request for the key that finally answered it, so
 * a key whose every attempt failed over has no rate at all: say so instead of a bare dash.
 */
export function successRateView(
  usage: KeyUsage | undefined,
  attemptsToday: number,
): { text: string; explanation: string; sortValue: number | null; failing: boolean } {
  const cooldowns = usage?.cooldowns ?? 0;
  const cooldownNote = cooldowns > 0 ? ` ${plural(cooldowns, 'cooldown')} in the last 24 h.` : '';
  if (usage && usage.successRate !== null) {
    return {
      text: formatPercent(usage.successRate),
      explanation:
        `${formatNumber(usage.success)} of ${plural(usage.success + usage.failures, 'request')} this key ` +
        `answered in the last 24 h succeeded. Attempts that failed over count for the key that answered.` +
        cooldownNote,
      sortValue: usage.successRate,
      failing: false,
    };
  }
  if (attemptsToday > 0) {
    return {
      text: `0 of ${formatNumber(attemptsToday)}`,
      explanation:
        `Tried ${plural(attemptsToday, 'time')} today, and no request succeeded on this key: ` +
        `each attempt failed and moved on to another key, or is still running.` +
        cooldownNote,
      sortValue: 0,
      failing: true,
    };
  }
  if (cooldowns > 0) {
    return {
      text: '—',
      explanation: `No request ended on this key in the last 24 h; its attempts failed over to other keys.${cooldownNote}`,
      sortValue: 0,
      failing: true,
    };
  }
  return { text: '—', explanation: 'No requests in the last 24 h', sortValue: null, failing: false };
}

export function SuccessRateCell({ usage, attemptsToday }: SuccessRateCellProps) {
  const view = successRateView(usage, attemptsToday);
  return (
    <Tooltip title={view.explanation}>
      <Typography
        variant="body2"
        component="span"
        tabIndex={0}
        color={view.failing ? 'warning.main' : view.sortValue === null ? 'text.secondary' : undefined}
      >
        {view.text}
      </Typography>
    </Tooltip>
  );
}
