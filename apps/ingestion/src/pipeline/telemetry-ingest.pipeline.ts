import { createHash } from 'node:crypto';
import type { RejectionRecord, TelemetryBatchWriter, VehicleDirectory, VehicleSample } from '#app/database';
import { DeviceClockEstimator, type ParsedMessage, parseTelemetryMessage, type Rejection, refusedForClock, wholeMessageAhead } from '#app/telemetry';
import type { IngestCounters, InboundMessage } from './inbound-message.js';
import { type ScoreRequester, TelemetryScoreCadence } from './score-cadence.js';
import { isDataError } from './storage-error.js';

export interface PipelineOptions {
  /** Flush when this many samples are waiting... */
  batchMax: number;
  /** ...or when the oldest waiting message is this old. */
  flushMs: number;
  /** How soon a vehicle sending a warning sign is scored (see TelemetryScoreCadence). */
  scoreDebounceMs: number;
  /** How often a vehicle sending routine telemetry is scored. */
  scoreIntervalMs: number;
  /** How far apart the prompt scores of a car whose warning persists are. */
  scorePromptGapMs: number;
}

export interface PipelineLogger {
  warn(message: string): void;
  error(message: string): void;
}

interface PendingMessage {
  message: InboundMessage;
  parsed: ParsedMessage;
  sampleCount: number;
  /** The device clock correction applied to this message (ms ahead; 0 for none). */
  clockOffsetMs: number;
}

/**
 * Messages of a device whose clock looks ahead, held (unacknowledged) until the estimate settles, so the
 * first minutes of a fast clock are corrected with the settled estimate rather than refused. Bounded: past
 * either limit they go through with the provisional correction (DeviceClockEstimator.heldOffsetFor), and
 * are refused as CLOCK_IN_FUTURE only if the messages seen so far disagree.
 */
const HOLD_MAX_MESSAGES = 20;
const HOLD_MAX_MS = 30_000;

const EXCERPT_CHARS = 512;
const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 5_000;

/**
 * Validates messages as they arrive and writes them in group commits: one transaction per batch,
 * acknowledged to the broker only after COMMIT. Until then the broker holds the message, so a crash
 * loses nothing (it is redelivered) and a redelivery stores nothing twice (vehicle + seq is unique).
 * One flush runs at a time; messages keep arriving and form the next batch meanwhile.
 */
export class TelemetryIngestPipeline {
  private queue: PendingMessage[] = [];
  private queuedSamples = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private stopped = false;
  private readonly scoreCadence: TelemetryScoreCadence;
  /** Messages of the batch being committed right now. */
  private committing = 0;
  private readonly clock = new DeviceClockEstimator();
  /** Per device: the held messages, each with whether all its samples were ahead (see release). */
  private readonly held = new Map<string, { messages: { message: InboundMessage; wholeAhead: boolean }[]; timer: NodeJS.Timeout }>();
  /** The offset last written per topic, so the vehicle row is updated only when it changes. */
  private readonly recordedOffsets = new Map<string, number>();

  constructor(
    private readonly writer: TelemetryBatchWriter,
    private readonly directory: VehicleDirectory,
    scoring: ScoreRequester,
    private readonly counters: IngestCounters,
    private readonly logger: PipelineLogger,
    private readonly options: PipelineOptions,
  ) {
    this.scoreCadence = new TelemetryScoreCadence(scoring, logger, {
      debounceMs: options.scoreDebounceMs,
      intervalMs: options.scoreIntervalMs,
      promptGapMs: options.scorePromptGapMs,
    });
  }

  /** Parses at once (cheap, never throws) and queues for the next group commit. */
  accept(message: InboundMessage): void {
    this.counters.received(1);
    const { topic } = message;
    let newestTsMs = Number.NEGATIVE_INFINITY;
    const observe = (tsMs: number): void => {
      if (tsMs > newestTsMs) newestTsMs = tsMs;
    };
    const offsetMs = this.clock.offsetFor(topic);
    const parsed = parseTelemetryMessage(topic, message.payload, message.receivedAt, undefined, { offsetMs, observe });
    if (Number.isFinite(newestTsMs)) this.clock.observe(topic, newestTsMs - message.receivedAt.getTime());
    const held = this.held.get(topic);
    // Refused for a clock ahead with no correction in force: wait for the estimate, which this very
    // message may have just settled (hold() then releases it at once, corrected).
    const correctable = offsetMs === 0 && refusedForClock(parsed) && (!this.clock.settled(topic) || this.clock.offsetFor(topic) !== 0);
    if (held !== undefined || correctable) {
      this.hold(message, offsetMs === 0 && wholeMessageAhead(parsed));
      return;
    }
    this.enqueue(message, parsed, offsetMs);
  }

  private enqueue(message: InboundMessage, parsed: ParsedMessage, clockOffsetMs: number): void {
    const sampleCount = parsed.ok ? parsed.samples.length : 0;
    this.queue.push({ message, parsed, sampleCount, clockOffsetMs });
    this.queuedSamples += sampleCount;
    if (this.queuedSamples >= this.options.batchMax) this.kick();
    else this.timer ??= setTimeout(() => this.kick(), this.options.flushMs);
  }

  private hold(message: InboundMessage, wholeAhead: boolean): void {
    const { topic } = message;
    let held = this.held.get(topic);
    if (held === undefined) {
      held = { messages: [], timer: setTimeout(() => this.release(topic), HOLD_MAX_MS) };
      this.held.set(topic, held);
    }
    held.messages.push({ message, wholeAhead });
    if (this.clock.settled(topic) || held.messages.length >= HOLD_MAX_MESSAGES) this.release(topic);
  }

  /**
   * Parses the held messages again with the offset known now, in arrival order. On the time limit the
   * estimate may not have settled (a parked device sends one message every 30 minutes): the held
   * messages wholly ahead then take the provisional correction of the messages seen so far, never more
   * than the clock's lead (see heldOffsetFor), rather than being refused; a message with good samples
   * and one ahead is a glitch of that sample and goes through as it came.
   */
  private release(topic: string): void {
    const held = this.held.get(topic);
    if (held === undefined) return;
    clearTimeout(held.timer);
    this.held.delete(topic);
    const settled = this.clock.settled(topic);
    const heldOffsetMs = this.clock.heldOffsetFor(topic);
    for (const { message, wholeAhead } of held.messages) {
      const offsetMs = settled || wholeAhead ? heldOffsetMs : 0;
      this.enqueue(message, parseTelemetryMessage(topic, message.payload, message.receivedAt, undefined, { offsetMs }), offsetMs);
    }
  }

  get waiting(): number {
    return this.queue.length;
  }

  /**
   * Writes everything accepted so far. Used on shutdown: in-flight work is drained, not dropped. If the
   * database stays unavailable past `timeoutMs`, gives up: what was not committed was not acknowledged
   * either, so the broker redelivers it to the next session. Returns how many messages were left.
   */
  async drain(timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while ((this.queue.length > 0 || this.flushing) && Date.now() < deadline) {
      this.kick();
      const remaining = Math.max(0, deadline - Date.now());
      await Promise.race([this.flushing, new Promise((resolve) => setTimeout(resolve, remaining).unref())]);
    }
    const left = this.queue.length + this.committing;
    if (left > 0) this.stop();
    return left;
  }

  /** Stops retrying after the current attempt (shutdown while the database is down). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    // Held messages were never acknowledged: the broker redelivers them to the next session.
    for (const held of this.held.values()) clearTimeout(held.timer);
    this.held.clear();
  }

  private kick(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.flushing || this.queue.length === 0) return;
    this.flushing = this.flushLoop()
      .catch((error: unknown) => {
        // Only after stop(): the batch stays unacknowledged and the broker will redeliver it.
        this.logger.warn(`flush abandoned on shutdown: ${(error as Error).message}`);
      })
      .finally(() => {
        this.flushing = undefined;
        if (this.queue.length > 0 && !this.stopped) {
          if (this.queuedSamples >= this.options.batchMax) this.kick();
          else this.timer ??= setTimeout(() => this.kick(), this.options.flushMs);
        }
      });
  }

  private async flushLoop(): Promise<void> {
    // Keep flushing while full batches are waiting; a partial batch waits for its timer.
    do {
      const batch = this.takeBatch();
      this.committing = batch.length;
      try {
        await this.commitWithRetry(batch);
      } finally {
        this.committing = 0;
      }
    } while (this.queuedSamples >= this.options.batchMax && !this.stopped);
  }

  private takeBatch(): PendingMessage[] {
    let samples = 0;
    let count = 0;
    while (count < this.queue.length && (count === 0 || samples + this.queue[count].sampleCount <= this.options.batchMax)) {
      samples += this.queue[count].sampleCount;
      count += 1;
    }
    const batch = this.queue.splice(0, count);
    this.queuedSamples -= samples;
    return batch;
  }

  private async commitWithRetry(batch: PendingMessage[]): Promise<void> {
    let delay = RETRY_MIN_MS;
    for (;;) {
      try {
        await this.commit(batch);
        return;
      } catch (error) {
        if (isDataError(error)) {
          await this.isolatePoison(batch, error);
          return;
        }
        if (this.stopped) throw error;
        this.logger.warn(`commit of ${batch.length} messages failed (${(error as Error).message}); retrying in ${delay} ms`);
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, RETRY_MAX_MS);
      }
    }
  }

  /**
   * A batch the database refused because of its data: split it until the message at fault is alone,
   * store the rest, and record that one as rejected. Good messages next to a bad one are never lost.
   */
  private async isolatePoison(batch: PendingMessage[], error: unknown): Promise<void> {
    if (batch.length === 1) {
      const [only] = batch;
      this.logger.error(`message on ${only.message.topic} refused by the database: ${(error as Error).message}`);
      const rejection: Rejection = { reason: 'STORAGE_REFUSED', detail: `database refused the sample: ${(error as Error).message}` };
      // Keep the VIN: the rejection must show up under the vehicle whose device sent it.
      await this.commitWithRetry([{ ...only, parsed: { ok: false, vin: only.parsed.vin, rejection }, sampleCount: 0 }]);
      return;
    }
    const middle = Math.ceil(batch.length / 2);
    await this.commitWithRetry(batch.slice(0, middle));
    await this.commitWithRetry(batch.slice(middle));
  }

  private async commit(batch: PendingMessage[]): Promise<void> {
    // Refused messages too: their rejection is filed under the vehicle when its VIN is known.
    const vins = batch.flatMap(({ parsed }) => (parsed.vin === undefined ? [] : [parsed.vin]));
    const vehicles = await this.directory.resolve(vins, Date.now());
    const samples: VehicleSample[] = [];
    const rejections: RejectionRecord[] = [];
    const clockOffsets = new Map<string, number>();
    for (const { message, parsed, clockOffsetMs } of batch) {
      if (!parsed.ok) {
        rejections.push(this.rejectionRecord(message, parsed.rejection, parsed.vin));
        continue;
      }
      const vehicle = vehicles.get(parsed.vin);
      if (!vehicle) {
        const detail = `no registered vehicle has VIN ${parsed.vin}`;
        rejections.push(this.rejectionRecord(message, { reason: 'UNKNOWN_VIN', detail }, parsed.vin));
        continue;
      }
      for (const sample of parsed.samples) samples.push({ vehicleId: vehicle.vehicleId, sample });
      if (parsed.samples.length > 0 && this.recordedOffsets.get(message.topic) !== clockOffsetMs) clockOffsets.set(vehicle.vehicleId, clockOffsetMs);
      for (const rejection of parsed.rejections) {
        rejections.push(this.rejectionRecord(message, rejection, parsed.vin, vehicle.vehicleId, vehicle.serviceCenterId));
      }
    }
    for (const rejection of rejections) {
      if (rejection.vehicleId === undefined && rejection.vin !== undefined) {
        const vehicle = vehicles.get(rejection.vin);
        rejection.vehicleId = vehicle?.vehicleId;
        rejection.serviceCenterId = vehicle?.serviceCenterId;
      }
    }

    const result = await this.writer.write(
      samples,
      rejections,
      [...clockOffsets].map(([vehicleId, offsetMs]) => ({ vehicleId, offsetMs })),
    );
    for (const { message, clockOffsetMs, sampleCount } of batch) if (sampleCount > 0) this.recordedOffsets.set(message.topic, clockOffsetMs);
    const committedAt = Date.now();
    for (const { message } of batch) message.ack();

    this.counters.stored(result.stored);
    this.counters.duplicates(result.duplicates);
    for (const rejection of rejections) this.counters.rejected(rejection.reason);
    this.counters.batch(
      samples.length,
      samples.map(({ sample }) => committedAt - sample.ts.getTime()),
    );
    this.scoreCadence.afterCommit(samples, result, committedAt);
  }

  private rejectionRecord(
    message: InboundMessage,
    rejection: Rejection,
    vin?: string,
    vehicleId?: string,
    serviceCenterId?: string,
  ): RejectionRecord {
    const text = message.payload.toString('utf8', 0, Math.min(message.payload.length, EXCERPT_CHARS * 4));
    return {
      topic: message.topic,
      vin,
      vehicleId,
      serviceCenterId,
      reason: rejection.reason,
      detail: rejection.detail,
      sampleIndex: rejection.sampleIndex ?? -1,
      payloadBytes: message.payload.length,
      // Postgres text cannot hold NUL; the excerpt is for people, the hash identifies the message.
      payloadExcerpt: text.slice(0, EXCERPT_CHARS).replaceAll('\u0000', '\uFFFD'),
      messageHash: createHash('sha256').update(message.topic).update('\u0000').update(message.payload).digest('hex'),
    };
  }
}
