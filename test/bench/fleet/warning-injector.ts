import mqtt from 'mqtt';
import type { InjectedWarning } from './fleet-database.js';

export type WarningKind = 'coolant' | 'fault-code' | 'pressure-drop';
const KINDS: readonly WarningKind[] = ['coolant', 'fault-code', 'pressure-drop'];

/**
 * The warning sign a car sends, beside the simulator's routine samples: the engine at 112 C with the overheating
 * code the ECU sets above 110 C, a new misfire code, or the front-left tyre dropped to 140 kPa. Each crosses one of
 * ingestion's prompt-score limits (apps/ingestion/src/pipeline/prompt-score.policy.ts).
 *
 * The pressure drop is the first reading of a puncture, not a lone glitch: the car's own samples (the simulator's
 * `puncture` fault from the same instant, punctureFaults) keep the front-left tyre flat after it, as a real car's
 * TPMS would. A lone low reading followed by normal ones is what the tyre model takes for a sensor error.
 */
export function warningSample(kind: WarningKind, ts: number, seq: number): Record<string, unknown> {
  const base = { ts: new Date(ts).toISOString(), seq };
  switch (kind) {
    case 'coolant':
      return { ...base, coolantTempC: 112, dtcs: ['P0217'] };
    case 'fault-code':
      return { ...base, dtcs: ['P0301'] };
    case 'pressure-drop':
      return { ...base, tires: { FL: { pressureKpa: 140 } } };
  }
}

export const componentOf = (kind: WarningKind): InjectedWarning['component'] => (kind === 'pressure-drop' ? 'TIRES' : 'DIAGNOSTICS');

/**
 * The simulator's fault arguments that make each pressure-drop car's front-left tyre flat from `atMs` on (the
 * injected reading's planned publish time; the simulator's fleet index is the position + 1). Without them the
 * simulator's next tyre report, within a minute, says the tyre is fine again: no real car does that after a puncture.
 */
export function punctureFaults(targets: readonly { position: number; kind: WarningKind }[], atMs: number): string[] {
  return targets
    .filter((t) => t.kind === 'pressure-drop')
    .flatMap((t) => ['--fault', `${String(t.position + 1)}:puncture:@${String(Math.round(atMs))}`]);
}

/** `count` fleet positions (0-based) spread evenly over `cars`, and the kind each gets (the three in turn). */
export function warnedPositions(cars: number, count: number): { position: number; kind: WarningKind }[] {
  const n = Math.min(cars, count);
  return Array.from({ length: n }, (_, k) => ({ position: Math.floor((k * cars) / n), kind: KINDS[k % KINDS.length] ?? 'coolant' }));
}

/**
 * A seq that the simulator never uses for that car. The simulator's seq is the sample time, on a grid of the
 * interval offset by the car's position (apps/simulator/src/run/fleet.runner.ts staggers car p by
 * floor(p * interval / cars) ms): a warning on the same seq would be stored once, and one of the two lost.
 */
export function injectedSeq(nowMs: number, position: number, cars: number, intervalMs: number): number {
  const offset = Math.floor((position * intervalMs) / cars) % intervalMs;
  return (((nowMs - offset) % intervalMs) + intervalMs) % intervalMs === 0 ? nowMs + 1 : nowMs;
}

/** Publishes one warning sample per car at QoS 1 (as a device would) and returns when each went out, by VIN. */
export async function injectWarnings(
  mqttUrl: string,
  targets: readonly { vin: string; position: number; kind: WarningKind }[],
  cars: number,
  intervalMs: number,
): Promise<Map<string, InjectedWarning & { kind: WarningKind; ackedMs: number | null }>> {
  const client = await mqtt.connectAsync(mqttUrl, { clientId: `bench-fleet-warnings-${String(process.pid)}`, clean: true, protocolVersion: 4 });
  const injected = new Map<string, InjectedWarning & { kind: WarningKind; ackedMs: number | null }>();
  try {
    await Promise.all(
      targets.map(async (target) => {
        const publishedMs = Date.now();
        const seq = injectedSeq(publishedMs, target.position, cars, intervalMs);
        const entry = { seq, publishedMs, component: componentOf(target.kind), kind: target.kind, ackedMs: null as number | null };
        injected.set(target.vin, entry);
        await client.publishAsync(`vehicles/${target.vin}/telemetry`, JSON.stringify(warningSample(target.kind, publishedMs, seq)), { qos: 1 });
        entry.ackedMs = Date.now();
      }),
    );
  } finally {
    await client.endAsync();
  }
  return injected;
}
