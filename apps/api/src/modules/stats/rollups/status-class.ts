import { OutcomeClass, StatusClass } from '@keypool/shared';

/** The coarse status bucket of a finished request, as stored on log rows and rollups. */
export function statusClassOf(status: number, outcome: OutcomeClass): StatusClass {
  if (outcome === OutcomeClass.ClientCancel) {
    return StatusClass.Cancelled;
  }
  if (status === 429) {
    return StatusClass.RateLimited;
  }
  if (status >= 200 && status < 400) {
    return StatusClass.Success;
  }
  if (status >= 400 && status < 500) {
    return StatusClass.ClientError;
  }
  return StatusClass.ServerError;
}
