import type { SeededRandom } from './seeded-random.js';
import type { VehicleProfile } from './vehicle-profile.js';

export type TripKind = 'city' | 'highway' | 'idle';

export interface PlannedTrip {
  startMs: number;
  durationS: number;
  kind: TripKind;
}

/** Where a car's next trip starts: the driver's habits, asked by the simulation whenever it is parked. */
export interface TripSource {
  /** The first trip starting at or after `timeMs`; the same answer for the same time, whatever was asked before. */
  nextTripAfter(timeMs: number): PlannedTrip;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * Plans a few trips per local day at plausible hours (commutes, errands, weekend outings). Each day is
 * planned from its own random stream, so asking for day 40 gives the same trips however the
 * simulation got there (backfill or live, any sampling interval).
 */
export class TripPlanner implements TripSource {
  private readonly days = new Map<number, PlannedTrip[]>();

  constructor(
    private readonly random: SeededRandom,
    private readonly profile: VehicleProfile,
  ) {}

  /** The first planned trip starting at or after `timeMs`. */
  nextTripAfter(timeMs: number): PlannedTrip {
    for (let day = this.localDay(timeMs); ; day++) {
      const trip = this.tripsOfDay(day).find((candidate) => candidate.startMs >= timeMs);
      if (trip) return trip;
    }
  }

  tripsOfDay(day: number): PlannedTrip[] {
    let trips = this.days.get(day);
    if (!trips) {
      trips = this.plan(day);
      this.days.set(day, trips);
      const oldest = this.days.keys().next();
      if (this.days.size > 8 && oldest.done !== true) this.days.delete(oldest.value);
    }
    return trips;
  }

  private localDay(timeMs: number): number {
    return Math.floor((timeMs + this.profile.utcOffsetHours * HOUR_MS) / DAY_MS);
  }

  private plan(day: number): PlannedTrip[] {
    const random = this.random.fork(`day-${day}`);
    // 1970-01-01 was a Thursday: day 2 and 3 (mod 7) are the weekend.
    const weekend = day % 7 === 2 || day % 7 === 3;
    const slots: { fromHour: number; toHour: number }[] = [];
    if (!weekend && this.profile.commuter) {
      slots.push({ fromHour: 6.8, toHour: 8.8 }, { fromHour: 16.5, toHour: 18.8 });
      if (random.chance(0.4)) slots.push({ fromHour: 19.5, toHour: 21 });
    } else {
      const outings = random.int(weekend ? 1 : 2, 3);
      const windows = [
        { fromHour: 9, toHour: 11.5 },
        { fromHour: 12, toHour: 15 },
        { fromHour: 15.5, toHour: 19 },
      ];
      slots.push(...windows.slice(0, outings));
    }
    if (random.chance(0.25)) slots.push({ fromHour: 11.5, toHour: 14 });
    slots.sort((a, b) => a.fromHour - b.fromHour);

    const dayStartMs = day * DAY_MS - this.profile.utcOffsetHours * HOUR_MS;
    const trips: PlannedTrip[] = [];
    let earliestMs = dayStartMs;
    for (const slot of slots) {
      const kind = this.tripKind(random, weekend);
      const durationS = Math.round(tripMinutes(random, kind) * 60);
      const startMs = Math.max(earliestMs, dayStartMs + Math.round((random.uniform(slot.fromHour, slot.toHour) * HOUR_MS) / 1000) * 1000);
      trips.push({ startMs, durationS, kind });
      // Leave the trip time to finish (braking to a stop can run past the planned duration) plus a stop.
      earliestMs = startMs + (durationS + 20 * 60) * 1000;
    }
    return trips;
  }

  private tripKind(random: SeededRandom, weekend: boolean): TripKind {
    const roll = random.next();
    if (roll < this.profile.highwayShare * (weekend ? 1.3 : 1)) return 'highway';
    if (roll > 0.93) return 'idle';
    return 'city';
  }
}

function tripMinutes(random: SeededRandom, kind: TripKind): number {
  switch (kind) {
    case 'city':
      return random.uniform(8, 35);
    case 'highway':
      return random.uniform(25, 80);
    case 'idle':
      return random.uniform(10, 25);
  }
}
