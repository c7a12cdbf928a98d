/** A vehicle as the API shows it. */
export interface VehicleView {
  id: string;
  vin: string;
  make: string;
  model: string;
  year: number;
  fuelType: string;
  plate: string | null;
  serviceCenterId: string;
  oilServiceIntervalKm: number;
  oilServiceIntervalMonths: number;
  owner: { id: string; name: string; email: string; phone: string | null };
  /** Latest odometer reading accepted from telemetry or a service record. */
  odometerKm: number | null;
  /** When the newest telemetry was committed (server clock). */
  lastTelemetryAt: string | null;
  /** The newest sample time (device clock). */
  lastSampleTs: string | null;
  createdAt: string;
}

export interface CreatedVehicleView extends VehicleView {
  /** Only when the owner account was created by this request: shown once, never stored in clear. */
  ownerInitialPassword?: string;
}

export interface VehiclePage {
  items: VehicleView[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}
