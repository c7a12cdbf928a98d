import type { ServerResponse } from 'node:http';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#app/config';
import { type RequestUser, SESSION_RECHECK_MS } from '#app/auth';
import { centerAudience, type InAppEvent, RedisInAppEventBus } from '#app/notifications';
import { RedisClientService } from '../common/redis-client.service.js';

/** Proxies and load balancers close a connection that stays silent for a minute or so. */
export const HEARTBEAT_MS = 15_000;

/**
 * Streams a user's live in-app events as Server-Sent Events. Live only (Redis pub/sub is
 * at-most-once): a client that reconnects reloads GET /me/reminders, which is the source of truth.
 */
@Injectable()
export class InAppEventsService implements OnModuleDestroy {
  private readonly logger = new Logger(InAppEventsService.name);
  private readonly bus: RedisInAppEventBus;
  private readonly open = new Set<ServerResponse>();

  constructor(redis: RedisClientService, @Inject(APP_CONFIG) config: AppConfig) {
    // Subscribes on its own duplicate of the API's connection; the worker publishes with this prefix.
    this.bus = new RedisInAppEventBus(redis.client, config.queuePrefix);
  }

  /**
   * `audiences`: the user's own, plus their center's for staff (see audiencesOf). `stillSignedIn` is asked
   * every SESSION_RECHECK_MS: when the session has ended (logout, password or role change, account
   * removed) the stream ends too, instead of delivering a signed-out user's events until they disconnect.
   */
  async stream(audiences: readonly string[], response: ServerResponse, stillSignedIn: () => Promise<boolean>): Promise<void> {
    const send = (event: InAppEvent): void => void response.write(frame(event));
    const unsubscribes = await Promise.all(audiences.map((audience) => this.bus.subscribe(audience, send)));
    const unsubscribe = async (): Promise<void> => {
      await Promise.all(unsubscribes.map((stop) => stop()));
    };
    if (response.destroyed) {
      // The client left while the subscription was being made.
      await unsubscribe();
      return;
    }
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      // nginx buffers responses by default, which would hold events back.
      'X-Accel-Buffering': 'no',
    });
    // Written once the subscription is active: a client that sees it misses nothing published after.
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
      unsubscribe().catch((error: unknown) => this.logger.warn(`unsubscribe failed: ${String(error)}`));
    };
    // The response's close, not the request's: a GET's request stream closes once read, long before the client leaves.
    response.once('close', close);
  }

  /** Ends open streams so the HTTP server can close; browsers reconnect to another instance. */
  async onModuleDestroy(): Promise<void> {
    for (const response of this.open) response.end();
    this.open.clear();
    await this.bus.close();
  }
}

/** An owner hears about their own cars; staff (and admins) of a center also about the center's customers. */
export function audiencesOf(user: RequestUser): string[] {
  return user.role !== 'OWNER' && user.serviceCenterId !== null ? [user.userId, centerAudience(user.serviceCenterId)] : [user.userId];
}

function frame(event: InAppEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}
