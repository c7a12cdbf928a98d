import { SeededRandom } from '../../vehicle/seeded-random.js';
import { TripPlanner, type PlannedTrip, type TripSource } from '../../vehicle/trip-planner.js';
import type { VehicleProfile } from '../../vehicle/vehicle-profile.js';

export const USAGE_KINDS = ['city', 'highway', 'low-mileage', 'taxi'] as const;
export type UsageKind = (typeof USAGE_KINDS)[number];

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * Trip plans per usage. City, highway and low-mileage drivers reuse the simulator's own planner with the
 * habit that defines them (highway share, or most trips left out); a taxi works shifts, which the
 * commuter planner cannot express, so it gets its own day plan.
 */
export function tripSourceFor(usage: UsageKind, profile: VehicleProfile, random: SeededRandom): TripSource {
  switch (usage) {
    case 'city':
      return new TripPlanner(random, { ...profile, highwayShare: 0.04, commuter: true });
    case 'highway':
      return new TripPlanner(random, { ...profile, highwayShare: 0.45 });
    case 'low-mileage':
      return new SparseTrips(new TripPlanner(random.fork('base'), { ...profile, commuter: false, highwayShare: 0.1 }), random.fork('keep'), 0.3);
    case 'taxi':
      return new TaxiShifts(random, profile.utcOffsetHours);
  }
}

/** Keeps each planned trip with a fixed chance, decided per trip so the plan stays reproducible. */
class SparseTrips implements TripSource {
  constructor(
    private readonly planner: TripPlanner,
    private readonly random: SeededRandom,
    private readonly keepShare: number,
  ) {}

  nextTripAfter(timeMs: number): PlannedTrip {
    for (let after = timeMs; ;) {
      const trip = this.planner.nextTripAfter(after);
      if (this.random.fork(trip.startMs).chance(this.keepShare)) return trip;
      after = trip.startMs + 1;
    }
  }
}

/** A shift of back-to-back fares (mostly town, some airport runs) with short waits, six days a week. */
class TaxiShifts implements TripSource {
  private readonly days = new Map<number, PlannedTrip[]>();

  constructor(
    private readonly random: SeededRandom,
    private readonly utcOffsetHours: number,
  ) {}

  nextTripAfter(timeMs: number): PlannedTrip {
    for (let day = Math.floor((timeMs + this.utcOffsetHours * HOUR_MS) / DAY_MS); ; day++) {
      const trip = this.tripsOfDay(day).find((candidate) => candidate.startMs >= timeMs);
      if (trip) return trip;
    }
  }

  private tripsOfDay(day: number): PlannedTrip[] {
    let trips = this.days.get(day);
    if (trips) return trips;
    const random = this.random.fork(`taxi-${day}`);
    trips = [];
    if (day % 7 !== 3) {
      const dayStartMs = day * DAY_MS - this.utcOffsetHours * HOUR_MS;
      let t = dayStartMs + random.uniform(6, 8) * HOUR_MS;
      const shiftEnd = t + random.uniform(6, 8) * HOUR_MS;
      while (t < shiftEnd) {
        const highway = random.chance(0.15);
        const durationS = Math.round((highway ? random.uniform(25, 50) : random.uniform(6, 25)) * 60);
        const startMs = Math.round(t / 1000) * 1000;
        trips.push({ startMs, durationS, kind: highway ? 'highway' : 'city' });
        // Braking to a stop can overrun the planned duration: leave room before the next fare.
        t = startMs + (durationS + random.uniform(8, 25) * 60) * 1000;
      }
    }
    this.days.set(day, trips);
    const oldest = this.days.keys().next();
    if (this.days.size > 4 && oldest.done !== true) this.days.delete(oldest.value);
    return trips;
  }
}
