import { Injectable, Logger } from '@nestjs/common';
import { checkDeviceStatus, parseDeviceStatusTopic } from '#app/telemetry';
import { DeviceStatusRepository, type StatusWrite } from './device-status.repository.js';

export type StatusOutcome = StatusWrite | 'refused';

/**
 * Records devices' presence words. The Nest MQTT transport has acknowledged the message before this runs and
 * does not wait for it, so a crash here loses it: acceptable, because the topic is retained and the next
 * start reads every device's latest word again.
 */
@Injectable()
export class DeviceStatusService {
  private readonly logger = new Logger(DeviceStatusService.name);
  /** One write at a time per VIN, in arrival order: the transport runs handlers concurrently. */
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(private readonly repository: DeviceStatusRepository) {}

  async record(topic: string, payload: unknown, retained: boolean, receivedAt: Date = new Date()): Promise<StatusOutcome> {
    const vin = parseDeviceStatusTopic(topic);
    const check = checkDeviceStatus(payload);
    if (vin === undefined || !check.ok) {
      const problem = vin === undefined ? 'not vehicles/{vin}/status' : check.ok ? '' : check.problem;
      this.logger.warn(`status message on ${JSON.stringify(topic.slice(0, 120))} refused: ${problem}`);
      return 'refused';
    }
    const previous = this.chains.get(vin) ?? Promise.resolve();
    const write = previous.then(() => this.repository.record(vin, check.status, receivedAt, retained));
    const settled = write.catch(() => undefined);
    this.chains.set(vin, settled);
    void settled.then(() => {
      if (this.chains.get(vin) === settled) this.chains.delete(vin);
    });
    try {
      const outcome = await write;
      if (outcome === 'unknown-vin') this.logger.warn(`status of unregistered VIN ${vin} ignored`);
      return outcome;
    } catch (error) {
      this.logger.error(`status of ${vin} not stored: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
  }
}
