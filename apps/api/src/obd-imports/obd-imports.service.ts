import { Injectable } from '@nestjs/common';
import type { RequestUser } from '#app/auth';
import {
  DEFAULT_CONTRACT_LIMITS,
  normalizeObdSamples,
  OBD_IMPORT_MAX_ROWS,
  obdFileSha256,
  obdImportSeqBase,
  ObdLogFormatError,
  type ObdLogReading,
  type ObdSampleRefusal,
  readObdLog,
} from '#app/telemetry';
import { centerScopeOf } from '../common/center-scope.js';
import { RescoreRequestService } from '../vehicle-health/rescore-request.service.js';
import { VehicleRepository } from '../vehicles/vehicle.repository.js';
import { ObdImportRepository } from './obd-import.repository.js';
import type { ObdColumnView, ObdImportFields, ObdImportListView, ObdImportReport, ObdImportResultView } from './obd-import.schema.js';
import type { UploadedObdLog } from './obd-log.upload.js';
import { ObdLogUnreadableError } from './obd-log-unreadable.error.js';

const LIST_LIMIT = 50;

/**
 * Staff upload a car's OBD-II log: it is read (per-column report), sent through the device contract's
 * normaliser, stored with the writer MQTT ingestion uses, recorded, and the car is rescored.
 */
@Injectable()
export class ObdImportsService {
  constructor(
    private readonly vehicles: VehicleRepository,
    private readonly imports: ObdImportRepository,
    private readonly rescore: RescoreRequestService,
  ) {}

  async import(user: RequestUser, vin: string, upload: UploadedObdLog, fields: ObdImportFields): Promise<ObdImportResultView> {
    const scope = centerScopeOf(user);
    const vehicle = await this.vehicles.getInScope(scope, vin);
    if (upload.bytes.length === 0) throw new ObdLogUnreadableError('the file is empty');
    const fileSha256 = obdFileSha256(upload.bytes);
    const reading = read(upload.bytes, fields);
    if (reading.samples.length > OBD_IMPORT_MAX_ROWS) {
      throw new ObdLogUnreadableError(
        `the log has ${String(reading.samples.length)} rows; at most ${String(OBD_IMPORT_MAX_ROWS)} per file: split it`,
      );
    }
    // Seqs from the file's bytes: the same file uploaded again lands on the same (vehicle, seq) and stores nothing.
    const seqBase = obdImportSeqBase(fileSha256, reading.logVehicle);
    const numbered = reading.samples.map((sample) => ({ ...sample, seq: seqBase + sample.seq }));
    const receivedAtMs = Date.now();
    const { samples, refusals } = normalizeObdSamples(numbered, () => receivedAtMs, DEFAULT_CONTRACT_LIMITS);
    const { stored, alreadyStored } = await this.imports.storeSamples(vehicle, samples);
    const [firstMs, lastMs] = samples.reduce(([lo, hi], { ts }) => [Math.min(lo, ts.getTime()), Math.max(hi, ts.getTime())], [Infinity, -Infinity]);
    const report: ObdImportReport = {
      fileName: upload.fileName,
      fileBytes: upload.bytes.length,
      format: reading.format,
      clock: reading.clock,
      logVehicle: reading.logVehicle,
      logVehicles: reading.logVehicles,
      rowsInFile: reading.rowsInFile,
      rowsWithoutClock: reading.rowsWithoutClock,
      repeatedRows: reading.repeatedRows,
      rowsRead: reading.samples.length,
      stored,
      alreadyStored,
      refused: refusals.length,
      refusals: byReason(refusals),
      firstSampleTs: samples.length > 0 ? new Date(firstMs).toISOString() : null,
      lastSampleTs: samples.length > 0 ? new Date(lastMs).toISOString() : null,
      columns: columnViews(reading, refusals),
    };
    const recorded = await this.imports.record(scope, vehicle, { importedById: user.userId, fileSha256, report });
    // Only new rows change what the models see; a repeated upload asks for nothing.
    const rescore = stored > 0 ? await this.rescore.request(vehicle.id, 'obd-import') : 'not-needed';
    return { ...recorded, rescore };
  }

  async list(user: RequestUser, vin: string): Promise<ObdImportListView> {
    const scope = centerScopeOf(user);
    const vehicle = await this.vehicles.getInScope(scope, vin);
    return { vin: vehicle.vin, items: await this.imports.list(scope, vehicle, LIST_LIMIT) };
  }
}

function read(bytes: Buffer, fields: ObdImportFields): ObdLogReading {
  try {
    return readObdLog(bytes, { firstSeq: 0, startTs: fields.startedAt, logVehicle: fields.logVehicle });
  } catch (error) {
    if (error instanceof ObdLogFormatError) throw new ObdLogUnreadableError(error.message, error.columns);
    throw error;
  }
}

function byReason(refusals: readonly ObdSampleRefusal[]): ObdImportReport['refusals'] {
  const reasons = new Map<string, { reason: string; count: number; example: string }>();
  for (const { reason, detail } of refusals) {
    const entry = reasons.get(reason) ?? { reason, count: 0, example: detail };
    entry.count++;
    reasons.set(reason, entry);
  }
  return [...reasons.values()].sort((a, b) => b.count - a.count);
}

/** Each column's report with the rows the contract refused because of its value (`ts` counts against the clock). */
function columnViews(reading: ObdLogReading, refusals: readonly ObdSampleRefusal[]): ObdColumnView[] {
  const refusedByRole = new Map<string, number>();
  for (const { field } of refusals) {
    if (field === null) continue;
    const role = field === 'ts' ? 'clock' : field;
    refusedByRole.set(role, (refusedByRole.get(role) ?? 0) + 1);
  }
  return reading.columns.map((column) => ({ ...column, refused: column.readAs === null ? 0 : (refusedByRole.get(column.readAs) ?? 0) }));
}
