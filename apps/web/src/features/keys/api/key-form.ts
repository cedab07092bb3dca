import type { CreateKeyRequest, UpdateKeyRequest } from '@keypool/shared';

/** Form state of the add/edit dialog: text inputs, converted on submit. */
export interface KeyFormValues {
  upstreamId: string;
  secret: string;
  name: string;
  weight: string;
  tags: string[];
  enabled: boolean;
  rpmLimit: string;
  tpmLimit: string;
  dailyLimit: string;
}

/** Client-side rules; the server's VALIDATION_FAILED details stay authoritative. */
export const keyFormRules = {
  upstreamId: { required: 'Pick the upstream this key belongs to' },
  secret: { required: 'Paste the API key' },
  weight: {
    validate: (v: string) => (v.trim() === '' || Number(v) > 0 ? true : 'Weight must be a number above 0'),
  },
  limit: {
    validate: (v: string) =>
      v.trim() === '' || (Number.isInteger(Number(v)) && Number(v) > 0)
        ? true
        : 'Use a whole number above 0, or leave empty for no limit',
  },
} as const;

function optionalInt(value: string): number | null {
  return value.trim() === '' ? null : Number(value);
}

export function toUpdateKeyRequest(values: KeyFormValues): UpdateKeyRequest {
  return {
    name: values.name.trim(),
    weight: values.weight.trim() === '' ? 1 : Number(values.weight),
    tags: values.tags,
    enabled: values.enabled,
    rpmLimit: optionalInt(values.rpmLimit),
    tpmLimit: optionalInt(values.tpmLimit),
    dailyLimit: optionalInt(values.dailyLimit),
  };
}

export function toCreateKeyRequest(values: KeyFormValues): CreateKeyRequest {
  return { ...toUpdateKeyRequest(values), upstreamId: values.upstreamId, secret: values.secret.trim() };
}
