import type { ServerResponse } from 'node:http';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#app/config';
import { type RequestUser, SESSION_RECHECK_MS } from '#app/auth';
import { centerAudience, type InAppEvent, InAppEventHub, parseInAppEnvelope } from '#app/notifications';

/** Proxies and load balancers close a connection that stays silent for a minute or so. */
export const HEARTBEAT_MS = 15_000;

/**
 * Streams a user's live in-app events as Server-Sent Events. Live only (the Nest Redis transport is
 * at-most-once): a client that reconnects reloads GET /me/reminders, which is the source of truth.
 */
@Injectable()
export class InAppEventsService implements OnModuleDestroy {
  private readonly logger = new Logger(InAppEventsService.name);
  private readonly hub: InAppEventHub;
  private readonly open = new Set<ServerResponse>();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    // The worker and every replica publish with this prefix (the channel is shared by the whole Redis server).
    this.hub = new InAppEventHub(config.queuePrefix);
  }

  /** An event from the transport (InAppEventsListener) to this replica's open streams of its audience. */
  deliver(payload: unknown): void {
    const envelope = parseInAppEnvelope(payload);
    if (envelope === undefined) {
      this.logger.warn('an unreadable in-app event was dropped');
      return;
    }
    this.hub.dispatch(envelope);
  }

  /**
   * `audiences`: the user's own, plus their center's for staff (see audiencesOf). `stillSignedIn` is asked
   * every SESSION_RECHECK_MS: when the session has ended (logout, password or role change, account
   * removed) the stream ends too, instead of delivering a signed-out user's events until they disconnect.
   */
  stream(audiences: readonly string[], response: ServerResponse, stillSignedIn: () => Promise<boolean>): void {
    const send = (event: InAppEvent): void => void response.write(frame(event));
    if (response.destroyed) return; // The client left while its token was being checked.
    const unsubscribes = audiences.map((audience) => this.hub.subscribe(audience, send));
    const unsubscribe = (): void => {
      for (const stop of unsubscribes) stop();
    };
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      // nginx buffers responses by default, which would hold events back.
      'X-Accel-Buffering': 'no',
    });
    // The transport's Redis subscription is made at start and the hub's is immediate: a client that sees this
    // line misses nothing published after.
    response.write('retry: 5000\n: connected\n\n');
    this.open.add(response);
    const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), HEARTBEAT_MS);
    const sessionCheck = setInterval(() => {
      stillSignedIn().then(
        (signedIn) => signedIn || response.end(),
        (error: unknown) => this.logger.warn(`session check failed, stream kept: ${String(error)}`),
      );
    }, SESSION_RECHECK_MS);
    const close = (): void => {
      clearInterval(heartbeat);
      clearInterval(sessionCheck);
      this.open.delete(response);
      unsubscribe();
    };
    // The response's close, not the request's: a GET's request stream closes once read, long before the client leaves.
    response.once('close', close);
  }

  /** Ends open streams so the HTTP server can close; browsers reconnect to another instance. */
  onModuleDestroy(): void {
    for (const response of this.open) response.end();
    this.open.clear();
  }
}

/** An owner hears about their own cars; staff (and admins) of a center also about the center's customers. */
export function audiencesOf(user: RequestUser): string[] {
  return user.role !== 'OWNER' && user.serviceCenterId !== null ? [user.userId, centerAudience(user.serviceCenterId)] : [user.userId];
}

function frame(event: InAppEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}
