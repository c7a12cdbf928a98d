import { Inject, Injectable, Logger } from '@nestjs/common';
import type { RequestUser } from '#app/auth';
import { BrokerCredentialsSync, generateDeviceSecret, generateDeviceSerial, hashMosquittoPassword, hashNatsPassword } from '#app/broker-auth';
import { APP_CONFIG, type AppConfig } from '#app/config';
import { deviceStatusTopic, telemetryTopicOf } from '#app/telemetry';
import { scopeOf, systemScope } from '../common/vehicle-scope.model.js';
import type { CenterScope } from '../vehicles/vehicle.repository.js';
import { VehicleRepository } from '../vehicles/vehicle.repository.js';
import { BrokerNotUpdatedError } from './broker-not-updated.error.js';
import type { ProvisionDeviceRequest } from './device.schema.js';
import type { DeviceView, ProvisionedDeviceView } from './device.model.js';
import { DeviceRepository } from './device.repository.js';
import { DeviceNotFoundError } from './device-not-found.error.js';
import { DuplicateDeviceSerialError } from './duplicate-device-serial.error.js';

/** Staff of a vehicle's service center give its device MQTT credentials and take them away. */
@Injectable()
export class DevicesService {
  private readonly logger = new Logger(DevicesService.name);

  constructor(
    private readonly devices: DeviceRepository,
    private readonly vehicles: VehicleRepository,
    private readonly broker: BrokerCredentialsSync,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async provision(user: RequestUser, vin: string, request: ProvisionDeviceRequest): Promise<ProvisionedDeviceView> {
    const vehicle = await this.vehicles.getInScope(centerScopeOf(user), vin);
    const serial = request.serial ?? generateDeviceSerial();
    if (await this.devices.isSerialTaken(systemScope('serials are MQTT usernames, unique across centers'), serial))
      throw new DuplicateDeviceSerialError(serial);
    const password = generateDeviceSecret();
    // Both brokers' formats: Mosquitto's $7$ and bcrypt for the NATS tier (a secret cannot be re-hashed later).
    const device = await this.devices.create(vehicle, {
      serial,
      credentialHash: hashMosquittoPassword(password),
      natsCredentialHash: await hashNatsPassword(password),
    });
    // The device is saved and the password can only be shown now: a failed sync must not swallow it. The next
    // sync (any device change, or the next start) writes the files from the database anyway.
    await this.broker.sync().catch((error: unknown) => {
      this.logger.error(`Device ${device.id} saved but the broker was not updated: ${describe(error)}`);
    });
    const { host, port } = this.config.brokerAuth.deviceEndpoint;
    return { ...device, password, mqtt: { host, port, topic: telemetryTopicOf(vehicle.vin), statusTopic: deviceStatusTopic(vehicle.vin) } };
  }

  async list(user: RequestUser, vin: string): Promise<DeviceView[]> {
    return this.devices.listFor(await this.vehicles.getInScope(centerScopeOf(user), vin));
  }

  /** Idempotent: revoking again re-syncs the broker, which is how a failed sync is retried. */
  async revoke(user: RequestUser, id: string): Promise<DeviceView> {
    const device = await this.devices.revoke(centerScopeOf(user), id);
    if (!device) throw new DeviceNotFoundError(id);
    try {
      await this.broker.sync();
    } catch (error) {
      throw new BrokerNotUpdatedError(error);
    }
    return device;
  }
}

function centerScopeOf(user: RequestUser): CenterScope {
  const scope = scopeOf(user);
  if (scope.kind !== 'center') throw new Error('Only service-center staff manage devices (enforced by @Roles)');
  return scope;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
