import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, type MqttContext, Payload } from '@nestjs/microservices';
import { DEVICE_STATUS_TOPIC_FILTER } from '#app/telemetry';
import { DeviceStatusService, type StatusOutcome } from './device-status.service.js';

@Controller()
export class DeviceStatusController {
  constructor(private readonly status: DeviceStatusService) {}

  /** Typed `<string>`: with `@Ctx() MqttContext`, TypeScript cannot infer the pattern's type (TS1241). */
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-arguments -- needed, see above
  @EventPattern<string>(DEVICE_STATUS_TOPIC_FILTER)
  onStatus(@Payload() payload: unknown, @Ctx() context: MqttContext): Promise<StatusOutcome> {
    return this.status.record(context.getTopic(), payload, isRetained(context.getPacket()));
  }
}

function isRetained(packet: unknown): boolean {
  return typeof packet === 'object' && packet !== null && 'retain' in packet && packet.retain === true;
}
