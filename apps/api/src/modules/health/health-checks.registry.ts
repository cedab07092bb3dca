import { Injectable } from '@nestjs/common';

/** A readiness probe of one dependency: resolves true when reachable. Must finish quickly. */
export type HealthCheck = () => Promise<boolean>;

/**
 * Dependencies other modules want in `/health` register here (e.g. the Redis check, name `redis`).
 * The health service runs each with a timeout; a throwing or slow check counts as down.
 */
@Injectable()
export class HealthChecks {
  private readonly checks = new Map<string, HealthCheck>();

  register(name: string, check: HealthCheck): void {
    this.checks.set(name, check);
  }

  get(name: string): HealthCheck | undefined {
    return this.checks.get(name);
  }
}
