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
  /** The newest sample time (corrected for a device clock running ahead). */
  lastSampleTs: string | null;
  /** How far ahead its device's clock runs; ingestion subtracts it from every sample time. Null: never corrected. */
  deviceClockOffsetMs: number | null;
  /** The same for people, e.g. "device clock is 2 h fast (corrected)"; null when the clock is right. */
  deviceClockNote: string | null;
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
