import type { MqttClient } from 'mqtt';

/** A connection the load publishes over and the vehicles it publishes for (a device: its own VIN only). */
export interface LoadChannel {
  client: MqttClient;
  vins: readonly string[];
}

export interface LoadOptions {
  durationMs: number;
  /** Offered load over all channels, messages/s; 0: as fast as the broker acknowledges. */
  rate: number;
  /** QoS 1 publishes in flight per channel (unacknowledged) at most. */
  window: number;
  /**
   * The last seq published per VIN, owned by the caller: a caller that keeps it across phases continues each car's
   * seqs (a `(vehicle, seq)` seen before would be stored once); a fresh map starts every car at 1.
   */
  seqs: Map<string, number>;
}

/** One sample per message, the same fields every phase; `ts` is the publish time (publish-to-stored latency). */
function payloadFor(seq: number): string {
  return `{"ts":"${new Date().toISOString()}","seq":${seq},"odometerKm":${(40000 + seq * 0.01).toFixed(2)},"speedKph":62,"rpm":2100,"coolantTempC":90.5,"fuelRateLph":4.2,"batteryV":14.1}`;
}

/**
 * QoS 1 telemetry at the offered rate (split evenly over the channels), each channel's vehicles in turn, at most
 * `window` unacknowledged per channel. Returns how many publishes the broker acknowledged (PUBACK) once the last one
 * in flight was answered. The channels stay connected: the caller opens and closes them.
 */
export async function publishTelemetry(channels: readonly LoadChannel[], options: LoadOptions): Promise<number> {
  const { durationMs, rate, window, seqs } = options;
  const ratePerChannel = rate / channels.length;
  const deadline = Date.now() + durationMs;
  let acknowledged = 0;
  await Promise.all(
    channels.map(
      ({ client, vins }) =>
        new Promise<void>((resolve) => {
          let inflight = 0;
          let sent = 0;
          let next = 0;
          const started = Date.now();
          const allowed = (): boolean => ratePerChannel <= 0 || sent < ((Date.now() - started) / 1000) * ratePerChannel;
          // One timer per channel at most, set for when the next send is due. (It used to poll every 2 ms from every
          // PUBACK callback too: each acknowledgement started another polling chain, so at a steady rate the
          // publishers' own timers grew with the square of the phase's length and took the CPU they measure.)
          let timerSet = false;
          const later = (): void => {
            if (timerSet) return;
            timerSet = true;
            // allowed() turns true once the elapsed time passes sent / rate.
            const due = ratePerChannel <= 0 ? 0 : Math.max(0, Math.floor((sent / ratePerChannel) * 1000 - (Date.now() - started)) + 1);
            setTimeout(() => {
              timerSet = false;
              pump();
            }, due);
          };
          const pump = (): void => {
            while (inflight < window && Date.now() < deadline && allowed()) {
              sent += 1;
              const vin = vins[next]!;
              next = (next + 1) % vins.length;
              const seq = (seqs.get(vin) ?? 0) + 1;
              seqs.set(vin, seq);
              inflight += 1;
              client.publish(`vehicles/${vin}/telemetry`, payloadFor(seq), { qos: 1 }, (error) => {
                inflight -= 1;
                if (!error) acknowledged += 1;
                pump();
              });
            }
            if (inflight === 0 && Date.now() >= deadline) resolve();
            else if (inflight < window && Date.now() < deadline) later();
          };
          pump();
        }),
    ),
  );
  return acknowledged;
}
