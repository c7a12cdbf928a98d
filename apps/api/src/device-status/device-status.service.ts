import { Injectable } from '@nestjs/common';
import type { RequestUser } from '#app/auth';
import { scopeOf } from '../common/vehicle-scope.model.js';
import { VehicleNotFoundError } from '../vehicles/vehicle-not-found.error.js';
import { deviceStatusView, REFUSED_WINDOW_MS } from './device-state.policy.js';
import type { DeviceStatusView } from './device-status.model.js';
import { DeviceStatusRepository } from './device-status.repository.js';

@Injectable()
export class DeviceStatusService {
  constructor(private readonly repository: DeviceStatusRepository) {}

  async ofVehicle(user: RequestUser, vin: string, now: Date = new Date()): Promise<DeviceStatusView> {
    const [view] = await this.ofVehicles(user, [vin], now);
    // Another center's (or owner's) car is as unknown as a car that does not exist.
    if (view === undefined) throw new VehicleNotFoundError(vin);
    return view;
  }

  async ofVehicles(user: RequestUser, vins: readonly string[], now: Date = new Date()): Promise<DeviceStatusView[]> {
    const rows = await this.repository.forVins(scopeOf(user), vins, new Date(now.getTime() - REFUSED_WINDOW_MS));
    return rows.map((row) => deviceStatusView(row, now));
  }
}
