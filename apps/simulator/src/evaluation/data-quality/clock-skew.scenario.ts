// Data-quality kind "device clock 2 h ahead": a day of a healthy car's samples, one message a minute,
// stamped by a clock 2 h fast, through the ingestion contract with the per-device clock estimator.
// Recall = samples kept (on our clock, within 5 s); refused = samples lost to CLOCK_IN_FUTURE. As the
// ingestion pipeline does, a message refused for the clock before a correction is in force is held for the
// estimate; messages here are a minute or more apart, past the pipeline's 30 s hold, so each is released
// alone with the correction known by then (DeviceClockEstimator.heldOffsetFor; before the estimate settles
// only a message wholly ahead takes it).
import { DeviceClockEstimator, parseTelemetryMessage, refusedForClock, type TelemetrySample, wholeMessageAhead } from '#app/telemetry';
import { EvaluatedVehicle } from '../fleet/evaluated-vehicle.js';
import type { VehiclePlan } from '../fleet/fleet-plan.js';
import { DAY_MS } from '../replay/vehicle-replay.js';
import type { DataQualityKindResult } from './odometer-event.scenario.js';

const SKEW_MS = 2 * 3_600_000;
const LATENCY_MS = 800;

export interface ClockSkewResult extends DataQualityKindResult {
  samples: number;
  kept: number;
  maxErrorMs: number;
}

export function evaluateClockSkew(healthy: readonly VehiclePlan[], options: { seed: number | string; epoch: Date }): ClockSkewResult {
  const result: ClockSkewResult = {
    kind: 'clock-2h-ahead',
    cars: 0,
    detected: 0,
    detectionDelayDays: [],
    vehicleDays: 0,
    falseAlerts: 0,
    falseUrgent: 0,
    samples: 0,
    kept: 0,
    maxErrorMs: 0,
  };
  for (const plan of healthy) {
    const vehicle = new EvaluatedVehicle({
      vin: plan.vin,
      seed: options.seed,
      epoch: options.epoch,
      usage: plan.usage,
      faults: [],
      noiseLevel: plan.noiseLevel,
    });
    const samples = vehicle.samplesUntil(options.epoch.getTime() + DAY_MS, 10_000, 30 * 60_000);
    const estimator = new DeviceClockEstimator();
    const topic = `vehicles/${plan.vin}/telemetry`;
    const byMinute = new Map<number, TelemetrySample[]>();
    for (const s of samples) {
      const minute = Math.floor(s.ts.getTime() / 60_000);
      byMinute.set(minute, [...(byMinute.get(minute) ?? []), s]);
    }
    result.cars++;
    result.vehicleDays++;
    let car = 0;
    for (const batch of byMinute.values()) {
      const last = batch[batch.length - 1];
      if (last === undefined) continue;
      const receivedAt = new Date(last.ts.getTime() + LATENCY_MS);
      const payload = JSON.stringify({ samples: batch.map((s) => ({ ...s, ts: new Date(s.ts.getTime() + SKEW_MS).toISOString() })) });
      let newest = Number.NEGATIVE_INFINITY;
      const offsetMs = estimator.offsetFor(topic);
      let parsed = parseTelemetryMessage(topic, Buffer.from(payload), receivedAt, undefined, {
        offsetMs,
        observe: (t) => (newest = Math.max(newest, t)),
      });
      if (Number.isFinite(newest)) estimator.observe(topic, newest - receivedAt.getTime());
      if (offsetMs === 0 && refusedForClock(parsed) && (estimator.settled(topic) || wholeMessageAhead(parsed))) {
        parsed = parseTelemetryMessage(topic, Buffer.from(payload), receivedAt, undefined, { offsetMs: estimator.heldOffsetFor(topic) });
      }
      result.samples += batch.length;
      if (!parsed.ok) continue;
      result.kept += parsed.samples.length;
      car += parsed.samples.length;
      parsed.samples.forEach((s, i) => {
        const truth = batch.find((b) => b.seq === s.seq) ?? batch[i];
        if (truth !== undefined) result.maxErrorMs = Math.max(result.maxErrorMs, Math.abs(s.ts.getTime() - truth.ts.getTime()));
      });
    }
    // Monitored: at least 95 % of the car's day kept.
    if (car >= 0.95 * samples.length) result.detected++;
  }
  return result;
}
