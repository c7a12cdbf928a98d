import type { ContractLimits } from '../contract/contract-limits.model.js';
import type { RejectionReason } from '../contract/rejection.model.js';
import { normalizeSample } from '../contract/telemetry-sample.normalizer.js';
import type { TelemetrySample } from '../telemetry-sample.js';

export interface ObdSampleRefusal {
  /** Index of the sample in the input. */
  index: number;
  reason: RejectionReason;
  detail: string;
  /** The sample field the detail names first (`coolantTempC`, `ts`), to tell which column was at fault. */
  field: string | null;
}

/**
 * Sends parsed log rows through the same normaliser as MQTT ingestion, as a device would publish them: the
 * fuel rate is left to it (MAF, else speed-density with `engineDisplacementL`), so a log is stored and scored
 * as a dongle's readings would be. `receivedAtMs` gives the receive time the contract's clock limits are
 * measured from (now for an upload; the sample's own time for a replay). A sample the contract refuses is left out and reported with its reason.
 */
export function normalizeObdSamples(
  samples: readonly TelemetrySample[],
  receivedAtMs: (ts: Date) => number,
  limits: ContractLimits,
  engineDisplacementL?: number,
): { samples: TelemetrySample[]; refusals: ObdSampleRefusal[] } {
  const out: TelemetrySample[] = [];
  const refusals: ObdSampleRefusal[] = [];
  samples.forEach(({ fuelRateLph: _derived, fuelRateEstimated: _estimated, ts, ...rest }, index) => {
    const payload = { ...rest, ts: ts.toISOString(), ...(engineDisplacementL !== undefined ? { engineDisplacementL } : {}) };
    const outcome = normalizeSample(payload, receivedAtMs(ts), limits);
    if (outcome.ok) out.push(outcome.sample);
    else {
      const { reason, detail } = outcome.rejection;
      // The contract's details start with the key they are about ("coolantTempC 300 is outside ...", "ts ... is").
      const field = /^([A-Za-z]+)\b/.exec(detail)?.[1] ?? null;
      refusals.push({ index, reason, detail, field: field !== null && field in payload ? field : null });
    }
  });
  return { samples: out, refusals };
}
