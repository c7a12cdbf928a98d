import { Inject, Injectable, Logger } from '@nestjs/common';
import { devicePresenceEvent, type InAppEventBus, presenceOf } from '#app/notifications';
import { checkDeviceStatus, parseDeviceStatusTopic } from '#app/telemetry';
import { DEVICE_EVENT_BUS } from './device-event-bus.provider.js';
import { DeviceStatusRepository, type StatusWrite, type StoredStatus } from './device-status.repository.js';

export type StatusOutcome = StatusWrite | 'refused';

/**
 * Records devices' presence words, and tells the staff dashboards of the car's center when the presence changed.
 * The Nest MQTT transport has acknowledged the message before this runs and does not wait for it, so a crash here
 * loses it: acceptable, because the topic is retained and the next start reads every device's latest word again.
 */
@Injectable()
export class DeviceStatusService {
  private readonly logger = new Logger(DeviceStatusService.name);
  /** One write at a time per VIN, in arrival order: the transport runs handlers concurrently. */
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(
    private readonly repository: DeviceStatusRepository,
    @Inject(DEVICE_EVENT_BUS) private readonly bus: InAppEventBus,
  ) {}

  async record(topic: string, payload: unknown, retained: boolean, receivedAt: Date = new Date()): Promise<StatusOutcome> {
    const vin = parseDeviceStatusTopic(topic);
    const check = checkDeviceStatus(payload);
    if (vin === undefined || !check.ok) {
      const problem = vin === undefined ? 'not vehicles/{vin}/status' : check.ok ? '' : check.problem;
      this.logger.warn(`status message on ${JSON.stringify(topic.slice(0, 120))} refused: ${problem}`);
      return 'refused';
    }
    const previous = this.chains.get(vin) ?? Promise.resolve();
    const write = previous.then(async () => {
      const stored = await this.repository.record(vin, check.status, receivedAt, retained);
      // Emitted inside the chain, so a car's events leave in the order its words were stored; not awaited there,
      // so a Redis outage does not hold the next word's write (announce never rejects).
      if (stored.write === 'stored') void this.announce(vin, stored);
      return stored;
    });
    const settled = write.catch(() => undefined);
    this.chains.set(vin, settled);
    void settled.then(() => {
      if (this.chains.get(vin) === settled) this.chains.delete(vin);
    });
    try {
      const outcome = (await write).write;
      if (outcome === 'unknown-vin') this.logger.warn(`status of unregistered VIN ${vin} ignored`);
      return outcome;
    } catch (error) {
      this.logger.error(`status of ${vin} not stored: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
  }

  /**
   * A live event when the dashboard's word for the device changed (a repeated birth, or a retained replay of
   * the same word, is no news). Best effort like every live event: pub/sub reaches the API replicas listening
   * now, and a dashboard that opens later reads the stored row.
   */
  private async announce(vin: string, stored: StoredStatus, now: Date = new Date()): Promise<void> {
    const previous = presenceOf(stored.before);
    const state = presenceOf(stored.after);
    if (state === previous || state === 'NEVER_CONNECTED') return;
    const { audience, event } = devicePresenceEvent(
      { vin, serviceCenterId: stored.serviceCenterId, previous, state, since: stored.since, firmware: stored.firmware },
      now,
    );
    try {
      await this.bus.publish(audience, event);
    } catch (error) {
      this.logger.warn(`live event for ${vin} (${state}) not published: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
