import { Injectable } from '@nestjs/common';
import { type ObdImport, PrismaService, TelemetryBatchWriter } from '#app/database';
import type { TelemetrySample } from '#app/telemetry';
import type { CenterScope, VehicleInScope } from '../common/vehicle-scope.model.js';
import type { ObdImportReport, ObdImportView } from './obd-import.schema.js';

/** Samples per transaction: the group commit's batch size in ingestion. */
const WRITE_BATCH = 5_000;

export interface NewObdImport {
  importedById: string;
  fileSha256: string;
  report: ObdImportReport;
}

@Injectable()
export class ObdImportRepository {
  private readonly writer: TelemetryBatchWriter;

  constructor(private readonly prisma: PrismaService) {
    // The writer MQTT ingestion commits with: same statement, same (vehicle, seq) uniqueness, same version bump.
    this.writer = new TelemetryBatchWriter(prisma.pool);
  }

  /** Stores the samples as the car's history; a sample whose seq is already there (an earlier upload) is skipped. */
  async storeSamples(vehicle: VehicleInScope, samples: readonly TelemetrySample[]): Promise<{ stored: number; alreadyStored: number }> {
    let stored = 0;
    for (let start = 0; start < samples.length; start += WRITE_BATCH) {
      const batch = samples.slice(start, start + WRITE_BATCH).map((sample) => ({ vehicleId: vehicle.id, sample }));
      stored += (await this.writer.write(batch, [])).stored;
    }
    return { stored, alreadyStored: samples.length - stored };
  }

  async record(scope: CenterScope, vehicle: VehicleInScope, entry: NewObdImport): Promise<ObdImportView> {
    const { report } = entry;
    const row = await this.prisma.obdImport.create({
      data: {
        vehicleId: vehicle.id,
        serviceCenterId: scope.serviceCenterId,
        importedById: entry.importedById,
        fileName: report.fileName,
        fileBytes: report.fileBytes,
        fileSha256: entry.fileSha256,
        format: report.format,
        rowsRead: report.rowsRead,
        stored: report.stored,
        alreadyStored: report.alreadyStored,
        refused: report.refused,
        firstSampleTs: report.firstSampleTs,
        lastSampleTs: report.lastSampleTs,
        report,
      },
      include: { importedBy: { select: { id: true, name: true } } },
    });
    return toView(vehicle, row);
  }

  /** Newest first; the vehicle was checked against the caller's scope, and imports are kept in its center. */
  async list(scope: CenterScope, vehicle: VehicleInScope, limit: number): Promise<ObdImportView[]> {
    const rows = await this.prisma.obdImport.findMany({
      where: { vehicleId: vehicle.id, serviceCenterId: scope.serviceCenterId },
      include: { importedBy: { select: { id: true, name: true } } },
      orderBy: { importedAt: 'desc' },
      take: limit,
    });
    return rows.map((row) => toView(vehicle, row));
  }
}

function toView(vehicle: VehicleInScope, row: ObdImport & { importedBy: { id: string; name: string } }): ObdImportView {
  // Written by record() from an ObdImportReport; the columns the table also has are read from the table.
  const report = row.report as unknown as ObdImportReport;
  return {
    ...report,
    id: row.id,
    vin: vehicle.vin,
    importedAt: row.importedAt.toISOString(),
    importedBy: row.importedBy,
    fileName: row.fileName,
    stored: row.stored,
    alreadyStored: row.alreadyStored,
    refused: row.refused,
  };
}
