/**
 * Masks a secret for display: keeps a recognisable prefix (`sk-`, `sk-ant-`, `AIza`, `kp-`) and the
 * last four characters, e.g. `sk-…abcd`. Short secrets reveal nothing but the ellipsis.
 */
export function maskSecret(secret: string): string {
  const trimmed = secret.trim();
  if (trimmed.length < 12) {
    return '…';
  }
  const prefix = /^(sk-ant-|sk-proj-|sk-or-|sk-|gsk_|kp-|AIza|xai-|pk-)/.exec(trimmed)?.[0] ?? '';
  return `${prefix}…${trimmed.slice(-4)}`;
}
