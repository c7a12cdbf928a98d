// A puncture or a fast leak, from each wheel's newest raw pressures. The leak and inflation analyses read hourly
// medians (pressure-analysis.ts): a tyre that goes flat moves them only once most of an hour, and three of the
// last five hours, are low. A car's own TPMS lamp comes on at once at 25 % below the recommended pressure
// (FMVSS 138); the owner is told as promptly, on the first reading that shows it. Why the first and not a second:
// a wheel's pressure arrives at most about once a minute (TPMS sensors transmit about once a minute while the car
// moves; the simulator reports tyres every 60 s while driving), so waiting for a confirmation costs a minute of
// driving on a flat tyre, where the goal is the owner within seconds. What it costs instead: a lone implausible
// reading is told once. The next reading clears it (the finding is gone on the next score, so the reminder closes),
// and the wheel is remembered in the model state: for GLITCH_MEMORY_DAYS a lone low reading on that wheel is held
// back until a second one in a row confirms it, so a flaky sensor is not a message a day.
import type { Risk, TirePressurePoint, WheelPosition } from '../maintenance-model.js';
import { median } from '../stats/descriptive.js';
import { round } from '../common/rounding.js';
import { MIN_SAFE_PRESSURE_KPA } from './pressure-analysis.js';
import { WHEELS } from './tire-positions.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** What the worker reads of each wheel's raw pressures on every score (vehicle-history.loader.ts). */
export const RECENT_PRESSURE = {
  /**
   * The car's last reporting moment: readings up to this long before its newest one (any wheel). Not before `now`: a
   * TPMS says nothing while the car is parked, so a tyre that went flat stays told until a reading says otherwise
   * (the owner who stopped as told is not told "all clear" a quarter of an hour later).
   */
  minutes: 15,
  /** How far back the newest reading may be (two UTC day partitions at most for the worker's read). */
  maxAgeHours: 36,
  /** The newest this many per wheel: the newest decides, the one before it confirms. */
  count: 3,
} as const;

export const PRESSURE_LOSS = {
  /** FMVSS 138: the TPMS lamp at 25 % below the recommended pressure; the other tyres stand in for the placard. */
  warnDeficitPct: 25,
  /** This far below the others the tyre is flat or nearly: driving on ruins it and the handling. */
  stopDeficitPct: 40,
  /** How long a wheel whose lone low reading was contradicted needs two low readings in a row. */
  glitchMemoryDays: 7,
} as const;

/**
 * Per wheel, ms timestamps: `alone`, the lone low reading last told on (not confirmed yet); `glitch`, the last lone
 * low reading the next reading contradicted. Kept in the tyre state (a few numbers).
 */
export type PressureLossMemory = Partial<Record<WheelPosition, { alone?: number; glitch?: number }>>;

export interface PressureLossCheck {
  newestKpa: number;
  newestMs: number;
  /** The other wheels' newest readings (median), else their latest hourly pressure; null: none. */
  referenceKpa: number | null;
  deficitPct: number | null;
  /** Low readings in a row, the newest included (0: the newest is normal). */
  lowInARow: number;
  /** Whether the owner is told now. */
  told: boolean;
  /** A lone low reading not told, because this wheel's last lone one was contradicted (ms of that one). */
  heldBackAfterGlitchMs: number | null;
}

/**
 * `recent`: every wheel's raw pressures (what the worker read; filtered here to the car's last reporting moment,
 * after `since[w]`, the wheel's last tyre or puncture-repair event). `fallbackReferenceKpa`: the other wheels' latest hourly pressure, for
 * a sample that carried one wheel only and no other wheel reported within the window.
 */
export function checkPressureLoss(
  recent: readonly TirePressurePoint[],
  since: Record<WheelPosition, number>,
  fallbackReferenceKpa: Record<WheelPosition, number | null>,
  memory: PressureLossMemory | undefined,
  now: Date,
): { checks: Record<WheelPosition, PressureLossCheck | null>; memory: PressureLossMemory } {
  const nowMs = now.getTime();
  const usable = recent.filter(
    (r) =>
      Number.isFinite(r.pressureKpa) &&
      r.pressureKpa > 0 &&
      r.pressureKpa <= 600 &&
      r.ts.getTime() > Math.max(nowMs - RECENT_PRESSURE.maxAgeHours * HOUR_MS, since[r.position]) &&
      r.ts.getTime() <= nowMs,
  );
  const lastMs = usable.reduce((latest, r) => Math.max(latest, r.ts.getTime()), -Infinity);
  const fromMs = lastMs - RECENT_PRESSURE.minutes * MINUTE_MS;
  const byWheel = {} as Record<WheelPosition, TirePressurePoint[]>;
  for (const w of WHEELS) {
    byWheel[w] = usable
      .filter((r) => r.position === w && r.ts.getTime() > fromMs)
      .sort((a, b) => a.ts.getTime() - b.ts.getTime())
      .slice(-RECENT_PRESSURE.count);
  }
  const checks = {} as Record<WheelPosition, PressureLossCheck | null>;
  const next: PressureLossMemory = {};
  for (const w of WHEELS) {
    const readings = byWheel[w];
    const others = WHEELS.filter((o) => o !== w).flatMap((o) => {
      const newest = byWheel[o][byWheel[o].length - 1];
      return newest === undefined ? [] : [newest.pressureKpa];
    });
    const referenceKpa = others.length > 0 ? median(others) : fallbackReferenceKpa[w];
    const deficitOf = (kpa: number): number | null =>
      referenceKpa !== null && referenceKpa > 0 ? ((referenceKpa - kpa) / referenceKpa) * 100 : null;
    const isLow = (kpa: number): boolean => kpa < MIN_SAFE_PRESSURE_KPA || (deficitOf(kpa) ?? 0) >= PRESSURE_LOSS.warnDeficitPct;

    const before = memory?.[w] ?? {};
    const remembered = (ms: number | undefined): number | undefined =>
      ms !== undefined && ms > nowMs - PRESSURE_LOSS.glitchMemoryDays * DAY_MS && ms > since[w] ? ms : undefined;
    let glitch = remembered(before.glitch);
    let alone = remembered(before.alone);
    if (alone !== undefined) {
      // The first reading after the one told alone decides what it was: low again, a real loss; normal, a glitch.
      const toldAt = alone;
      const after = readings.find((r) => r.ts.getTime() > toldAt);
      if (after !== undefined) {
        if (!isLow(after.pressureKpa)) glitch = toldAt;
        alone = undefined;
      }
    }

    const newest = readings[readings.length - 1];
    if (newest === undefined) {
      checks[w] = null;
    } else {
      let lowInARow = 0;
      for (let i = readings.length - 1; i >= 0 && isLow(readings[i].pressureKpa); i--) lowInARow++;
      const heldBack = lowInARow === 1 && glitch !== undefined;
      const told = lowInARow >= 2 || (lowInARow === 1 && !heldBack);
      if (told && lowInARow === 1) alone = newest.ts.getTime();
      const deficit = deficitOf(newest.pressureKpa);
      checks[w] = {
        newestKpa: newest.pressureKpa,
        newestMs: newest.ts.getTime(),
        referenceKpa,
        deficitPct: deficit,
        lowInARow,
        told,
        heldBackAfterGlitchMs: heldBack ? (glitch ?? null) : null,
      };
    }
    if (alone !== undefined || glitch !== undefined) {
      next[w] = { ...(alone !== undefined ? { alone } : {}), ...(glitch !== undefined ? { glitch } : {}) };
    }
  }
  return { checks, memory: next };
}

export interface PressureLossIssueParts {
  code: 'TIRE_PRESSURE_LOSS';
  risk: Risk;
  params: Record<string, string | number>;
  /** Everything but the wheel's name, which tire-risk.ts puts in front. */
  text: string;
}

/** The owner's words for a told loss: which wheel (added by the caller), how low, what to do. */
export function pressureLossIssueParts(w: WheelPosition, check: PressureLossCheck): PressureLossIssueParts | undefined {
  if (!check.told) return undefined;
  const kpa = Math.round(check.newestKpa);
  const deficit = check.deficitPct;
  const stop = check.newestKpa < MIN_SAFE_PRESSURE_KPA || (deficit ?? 0) >= PRESSURE_LOSS.stopDeficitPct;
  const params: Record<string, string | number> = { wheel: w, pressureKpa: kpa, lowReadings: check.lowInARow };
  if (check.referenceKpa !== null) params.referenceKpa = Math.round(check.referenceKpa);
  if (deficit !== null) params.deficitPct = Math.round(deficit);
  const against =
    check.referenceKpa !== null && deficit !== null
      ? `, ${Math.round(deficit)} % below the other tyres (${Math.round(check.referenceKpa)} kPa)`
      : `, below the ${MIN_SAFE_PRESSURE_KPA} kPa a tyre is safe to drive on`;
  const readings = check.lowInARow >= 2 ? ` on the last ${check.lowInARow} readings` : '';
  const action = stop
    ? 'Stop as soon as it is safe and check it: do not drive on it this low (fit the spare or call for assistance).'
    : 'Check it and inflate it to the pressure on the door sticker at once; if it loses air again, have it repaired.';
  const alone = check.lowInARow === 1 ? ' One reading so far: if it was a sensor error, the next reading clears this.' : '';
  return {
    code: 'TIRE_PRESSURE_LOSS',
    risk: stop ? 'CRITICAL' : 'URGENT',
    params,
    text: `tyre at ${kpa} kPa${against}${readings}: it is losing air fast, most likely a puncture. ${action}${alone}`,
  };
}

/** The wheel's evidence: what the newest raw readings said, in numbers. */
export function pressureLossEvidence(check: PressureLossCheck | null): Record<string, number | boolean | string | null> | null {
  if (check === null) return null;
  return {
    newestKpa: round(check.newestKpa, 1),
    newestAt: new Date(check.newestMs).toISOString(),
    referenceKpa: check.referenceKpa !== null ? round(check.referenceKpa, 1) : null,
    deficitPct: check.deficitPct !== null ? round(check.deficitPct, 1) : null,
    lowReadingsInARow: check.lowInARow,
    told: check.told,
    heldBack:
      check.heldBackAfterGlitchMs !== null
        ? `a lone low reading at ${new Date(check.heldBackAfterGlitchMs).toISOString()} was followed by a normal one: this one waits for a second`
        : null,
  };
}
