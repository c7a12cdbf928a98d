import type { ServiceEvent, TelemetryPoint, TireReadingPoint, VehicleHistory, VehicleProfile } from '#app/maintenance';

const DAY_MS = 86_400_000;

/** The worker's windows (apps/worker vehicle-history.loader HISTORY_WINDOWS): 30 days of telemetry, 120 of device tyre readings. */
export const WINDOW_DAYS = { telemetry: 30, deviceTires: 120 } as const;

/**
 * A vehicle's rolling history, trimmed as it grows so no more than the worker's windows stay in memory.
 * The arrays handed to the models are the live ones: the models are pure and do not mutate them.
 */
export class HistoryWindow {
  private samples: TelemetryPoint[] = [];
  private tireReadings: TireReadingPoint[] = [];
  private readonly serviceEvents: ServiceEvent[];

  constructor(
    private readonly profile: VehicleProfile,
    serviceEvents: readonly ServiceEvent[] = [],
  ) {
    this.serviceEvents = [...serviceEvents].sort((a, b) => a.performedAt.getTime() - b.performedAt.getTime());
  }

  append(points: readonly TelemetryPoint[], tireReadings: readonly TireReadingPoint[]): void {
    for (const p of points) this.samples.push(p);
    for (const r of tireReadings) this.tireReadings.push(r);
  }

  addServiceEvent(event: ServiceEvent): void {
    this.serviceEvents.push(event);
    this.serviceEvents.sort((a, b) => a.performedAt.getTime() - b.performedAt.getTime());
  }

  /**
   * What the worker would load at `now`: the windows ending at now and service records up to now.
   * Callers append only data up to `now`, so the telemetry needs no filtering (a copy per day per car
   * would dominate the harness's run time).
   */
  at(now: Date): VehicleHistory {
    const nowMs = now.getTime();
    this.samples = dropBefore(this.samples, nowMs - WINDOW_DAYS.telemetry * DAY_MS);
    this.tireReadings = dropBefore(this.tireReadings, nowMs - WINDOW_DAYS.deviceTires * DAY_MS);
    return {
      profile: this.profile,
      samples: this.samples,
      tireReadings: this.tireReadings,
      serviceEvents: this.serviceEvents.filter((e) => e.performedAt.getTime() <= nowMs),
    };
  }

  get size(): number {
    return this.samples.length;
  }
}

function dropBefore<T extends { ts: Date }>(items: T[], fromMs: number): T[] {
  let first = 0;
  while (first < items.length && items[first].ts.getTime() < fromMs) first++;
  return first === 0 ? items : items.slice(first);
}
