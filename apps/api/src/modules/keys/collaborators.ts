import { Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { KeyStatus, BreakerState, type KeyLiveState } from '@keypool/shared';
import { KeyStateReader } from '../balancer/key-state.reader';
import { LogWriter } from '../logs/log-writer.service';
import type { KeyEventInput } from '../logs/request-outcome';
import type { CatalogKey } from './pool-catalog.types';

/**
 * The logs and balancer modules import the keys module (for the catalog), so the keys module reaches
 * their services lazily instead of importing them back, which would be a module cycle.
 */
@Injectable()
export class KeyCollaborators {
  private readonly logger = new Logger('Keys');
  private writer: LogWriter | null | undefined;
  private reader: KeyStateReader | null | undefined;

  constructor(private readonly moduleRef: ModuleRef) {}

  /** Writes a key event through the logs module (buffered there; never throws). */
  recordKeyEvent(event: KeyEventInput): void {
    if (this.writer === undefined) {
      this.writer = this.find(LogWriter, 'LogWriter');
    }
    this.writer?.recordKeyEvent(event);
  }

  liveState(key: CatalogKey): KeyLiveState {
    if (this.reader === undefined) {
      this.reader = this.find(KeyStateReader, 'KeyStateReader');
    }
    return this.reader ? this.reader.liveState(key) : staticState(key);
  }

  private find<T>(type: new (...args: never[]) => T, name: string): T | null {
    try {
      return this.moduleRef.get(type, { strict: false });
    } catch {
      this.logger.warn(`${name} is not available; continuing without it`);
      return null;
    }
  }
}

function staticState(key: CatalogKey): KeyLiveState {
  return {
    status: key.enabled
      ? KeyStatus.Active
      : key.disabledReason === 'invalid'
        ? KeyStatus.Invalid
        : KeyStatus.Disabled,
    cooldownUntil: null,
    breaker: BreakerState.Closed,
    consecutiveFailures: 0,
    inFlight: 0,
    lastUsedAt: null,
    requestsToday: 0,
    remainingRequests: null,
    remainingTokens: null,
  };
}
