import type { InAppEnvelope } from './in-app-event.transport.js';
import type { InAppListener, Unsubscribe } from './in-app-event.bus.js';

/**
 * One process's listeners (the API's open SSE streams) by audience, fed by the transport's handler. The Redis
 * subscription is the transport's, made once at start, so subscribing here is immediate: a stream that
 * registered misses nothing published afterwards.
 */
export class InAppEventHub {
  private readonly listeners = new Map<string, Set<InAppListener>>();

  constructor(private readonly scope: string) {}

  subscribe(audience: string, listener: InAppListener): Unsubscribe {
    let set = this.listeners.get(audience);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(audience, set);
    }
    set.add(listener);
    return () => {
      const current = this.listeners.get(audience);
      if (current === undefined) return;
      current.delete(listener);
      if (current.size === 0) this.listeners.delete(audience);
    };
  }

  /** Returns how many listeners of this process got it; another platform's events (other scope) get none. */
  dispatch(envelope: InAppEnvelope): number {
    if (envelope.scope !== this.scope) return 0;
    const set = this.listeners.get(envelope.audience);
    if (set === undefined) return 0;
    for (const listener of set) listener(envelope.event);
    return set.size;
  }
}
