import { Injectable } from '@nestjs/common';
import type { RequestUser } from '#app/auth';
import { COMPONENTS, ENGINE_COOLING_SETTINGS, RISKS } from '#app/maintenance';
import { scopeOf } from '../common/vehicle-scope.model.js';
import { VehicleRepository } from '../vehicles/vehicle.repository.js';
import { coolantFromEvidence, dailyFromEvidence, fuelDegradation, leakFinding, treadProjection } from './chart-evidence.mapper.js';
import { type ChartWindow, ChartsRepository, type CoolantRules, type StoredPrediction } from './charts.repository.js';
import type { FleetRiskView, VehicleChartsQuery, VehicleChartsView, WheelChartView } from './charts.schema.js';

const DAY_MS = 86_400_000;
const WHEELS = ['FL', 'FR', 'RL', 'RR'] as const;
/** The tyre limits the issue and the tyre model use: recommended replacement and the legal minimum. */
const TREAD_LIMITS_MM = { recommended: 3.0, legal: 1.6 } as const;
/** Most points one series may carry: enough for a phone-to-desktop chart, small enough to send. */
export const MAX_POINTS_PER_SERIES = 400;
const PRESSURE_BUCKET_HOURS = [1, 2, 3, 4, 6, 8, 12, 24] as const;

/**
 * The SQL approximation of the cooling model's warm readings (its plateau test per drive is not cheap in
 * SQL): moving at 15 km/h or more and 10 minutes into a drive. Episodes start at the model's danger line (105 C),
 * where the cooling model now counts them too (spikes of 105-110 C are evidence before anything passes 110 C).
 */
export const COOLANT_RULES: CoolantRules = { minMovingKph: 15, warmAfterMinutes: 10, driveGapMinutes: 5, overheatC: 105 };

/** The smallest bucket (hours) that keeps `days` of a series within MAX_POINTS_PER_SERIES. */
export function pressureBucketHours(days: number): number {
  return PRESSURE_BUCKET_HOURS.find((hours) => (days * 24) / hours <= MAX_POINTS_PER_SERIES) ?? 24;
}

const isoDay = (date: Date): string => date.toISOString().slice(0, 10);

@Injectable()
export class VehicleChartsService {
  constructor(
    private readonly vehicles: VehicleRepository,
    private readonly charts: ChartsRepository,
  ) {}

  async vehicleCharts(user: RequestUser, vin: string, query: VehicleChartsQuery, now = new Date()): Promise<VehicleChartsView> {
    const vehicle = await this.vehicles.getInScope(scopeOf(user), vin);
    const window: ChartWindow = { from: new Date(now.getTime() - query.days * DAY_MS), to: now };
    const bucketHours = pressureBucketHours(query.days);
    const [coolantDays, tread, pressure, healthDays, predictions, dailyScores] = await Promise.all([
      this.charts.coolantDays(vehicle, window, COOLANT_RULES),
      this.charts.treadReadings(vehicle, window),
      this.charts.pressure(vehicle, window, bucketHours),
      this.charts.healthDays(vehicle, window),
      this.charts.currentPredictions(vehicle),
      this.charts.lastSnapshotPerDay(vehicle, ['FUEL_ECONOMY', 'BATTERY'], window),
    ]);
    const current = new Map(predictions.map((p) => [p.component, p]));
    const days = { fromDay: isoDay(window.from), toDay: isoDay(window.to) };
    // The current prediction is the newest score of all: its figures win over the day's last snapshot.
    const scoresOf = (component: StoredPrediction['component']) => [
      ...dailyScores.filter((row) => row.component === component),
      ...[current.get(component)].filter((p) => p !== undefined),
    ];
    const tires = current.get('TIRES');

    return {
      vin,
      days: query.days,
      from: window.from.toISOString(),
      to: window.to.toISOString(),
      coolant: {
        warmDaily: { unit: '°C', points: coolantDays.filter((d) => d.warmC !== null).map((d) => [d.day, Math.round((d.warmC ?? 0) * 10) / 10]) },
        ...coolantFromEvidence(current.get('ENGINE_COOLING'), ENGINE_COOLING_SETTINGS.dangerC),
        method: `Median per UTC day of 30-second averages taken at ${String(COOLANT_RULES.minMovingKph)} km/h or faster, ${String(COOLANT_RULES.warmAfterMinutes)} minutes or more into a drive (warm-up and idling left out).`,
      },
      overheat: {
        thresholdC: COOLANT_RULES.overheatC,
        // Every day with telemetry is a point (0 included): a day without data is not a day without episodes.
        episodesDaily: { unit: 'episodes', points: coolantDays.map((d) => [d.day, d.episodes]) },
      },
      tires: {
        treadUnit: 'mm',
        odometerUnit: 'km',
        limitsMm: { ...TREAD_LIMITS_MM },
        pressureUnit: 'kPa',
        pressureBucketHours: bucketHours,
        pressureTemperatureCorrected: false,
        pressureNote:
          'Raw readings, not temperature-corrected: the tyre model finds leaks by comparing each wheel with its axle partner, which cancels temperature.',
        wheels: WHEELS.map((position): WheelChartView => ({
          position,
          tread: tread.filter((r) => r.position === position && r.source === 'DEVICE').map((r) => [Math.round(r.odometerKm), round2(r.treadMm)]),
          inspections: tread
            .filter((r) => r.position === position && r.source === 'INSPECTION')
            .map((r) => [Math.round(r.odometerKm), round2(r.treadMm)]),
          projection: treadProjection(tires?.evidence ?? undefined, position, TREAD_LIMITS_MM),
          pressure: pressure.filter((r) => r.position === position).map((r) => [r.bucket.toISOString(), Math.round(r.pressureKpa * 10) / 10]),
          leak: leakFinding(tires?.findings ?? undefined, position),
        })),
      },
      fuel: {
        daily: dailyFromEvidence(scoresOf('FUEL_ECONOMY'), 'dailyRatios', 'ratio', days, '% of expected', 100),
        degradation: fuelDegradation(current.get('FUEL_ECONOMY')?.evidence ?? undefined),
        method:
          "Fuel used per day against what this car used for the same speeds and accelerations when it was learned (the fuel model's expectation).",
      },
      battery: {
        resting: dailyFromEvidence(scoresOf('BATTERY'), 'daily', 'restingV', days, 'V'),
        cranking: dailyFromEvidence(scoresOf('BATTERY'), 'daily', 'crankDipV', days, 'V'),
        method: "The battery model's daily figures: resting = engine off after 30 minutes parked; cranking = lowest voltage while starting.",
      },
      health: {
        unit: 'score 0-100',
        components: COMPONENTS.map((component) => ({
          component,
          risk: current.get(component)?.risk ?? null,
          points: healthDays.filter((row) => row.component === component).map((row): [string, number] => [row.day, row.health]),
        })).filter((c) => c.points.length > 0 || c.risk !== null),
      },
    };
  }

  async fleetRisk(user: RequestUser, now = new Date()): Promise<FleetRiskView> {
    const scope = scopeOf(user);
    if (scope.kind !== 'center') throw new Error('The fleet chart is for staff (enforced by @Roles)');
    const rows = await this.charts.riskByComponent(scope);
    return {
      generatedAt: now.toISOString(),
      unit: 'vehicles',
      components: COMPONENTS.map((component) => ({
        component,
        byRisk: Object.fromEntries(
          RISKS.map((risk) => [risk, rows.find((row) => row.component === component && row.risk === risk)?.vehicles ?? 0]),
        ) as FleetRiskView['components'][number]['byRisk'],
      })),
    };
  }
}

const round2 = (value: number): number => Math.round(value * 100) / 100;
