import { z } from 'zod';
import { text } from '../common/text.schema.js';
import { pastInstant } from '../vehicle-health/past-instant.schema.js';

/** Largest log accepted: the biggest real log we have (carOBD long10) is 1.5 MB, a day of Torque at 1 Hz about 10 MB. */
export const OBD_LOG_MAX_BYTES = 16 * 1024 * 1024;

/** The upload's fields: multipart form fields next to `file`, or query parameters with a text/csv body. */
export const obdImportFieldsSchema = z.object({
  startedAt: pastInstant()
    .optional()
    .describe("When the log began (ISO-8601 with offset). Required for logs whose only clock is the engine's run time (carOBD, cephasax)"),
  logVehicle: text().trim().min(1).max(100).optional().describe('For a file of several cars (cephasax VEHICLE_ID): the one to import'),
  fileName: text().trim().min(1).max(255).optional().describe('Name to record for a text/csv body (a multipart upload carries its own)'),
});

export type ObdImportFields = z.output<typeof obdImportFieldsSchema>;

// The answer's shape, written once: it documents the endpoint in OpenAPI and types the code.

const columnRole = z.enum([
  'speedKph',
  'rpm',
  'coolantTempC',
  'intakeTempC',
  'ambientTempC',
  'engineLoadPct',
  'throttlePct',
  'manifoldPressureKpa',
  'mafGps',
  'batteryV',
  'clock',
  'vehicle',
]);

export const obdColumnViewSchema = z.object({
  column: z.string().describe('The header as written in the file'),
  readAs: columnRole.nullable().describe('The reading it was stored as, the clock, the log vehicle id, or null: ignored (see note)'),
  unit: z.string().nullable().describe('The unit the values are stored in'),
  note: z.string().nullable().describe('Why it is ignored, or the unit its header gave'),
  values: z.number().int().describe('Cells read as a value'),
  empty: z.number().int().describe('Cells with nothing in them (not reported)'),
  unreadable: z.number().int().describe('Cells that are not a number in a unit of the reading'),
  example: z.string().nullable().describe('The first unreadable cell'),
  refused: z.number().int().describe("Rows the device contract refused because of this column's value (e.g. out of range)"),
});

export const obdImportViewSchema = z.object({
  id: z.uuid(),
  vin: z.string(),
  importedAt: z.iso.datetime(),
  importedBy: z.object({ id: z.uuid(), name: z.string() }),
  fileName: z.string(),
  fileBytes: z.number().int(),
  format: z.enum(['carobd', 'cephasax', 'torque']),
  clock: z.string().describe('How the rows were placed in time'),
  logVehicle: z.string().nullable(),
  logVehicles: z.array(z.string()),
  rowsInFile: z.number().int(),
  rowsWithoutClock: z.number().int().describe('Rows dropped: nothing places them in time'),
  repeatedRows: z.number().int().describe('Rows the logger wrote twice, read once'),
  rowsRead: z.number().int().describe('Rows sent through the device contract: stored + alreadyStored + refused'),
  stored: z.number().int().describe('New samples in the car history'),
  alreadyStored: z.number().int().describe('Samples stored by an earlier upload of the same file'),
  refused: z.number().int(),
  refusals: z.array(z.object({ reason: z.string(), count: z.number().int(), example: z.string() })).describe('Refused rows by contract reason'),
  firstSampleTs: z.iso.datetime().nullable(),
  lastSampleTs: z.iso.datetime().nullable(),
  columns: z.array(obdColumnViewSchema),
});

export const obdImportResultSchema = obdImportViewSchema.extend({
  rescore: z
    .enum(['requested', 'deferred', 'not-needed'])
    .describe('Whether the rescore reached the queue now, is left to the reconciler, or was not needed (nothing new stored)'),
});

export const obdImportListSchema = z.object({ vin: z.string(), items: z.array(obdImportViewSchema) });

export type ObdColumnView = z.output<typeof obdColumnViewSchema>;
export type ObdImportView = z.output<typeof obdImportViewSchema>;
export type ObdImportResultView = z.output<typeof obdImportResultSchema>;
export type ObdImportListView = z.output<typeof obdImportListSchema>;
/** The report part of a view: what is kept in obd_imports.report. */
export type ObdImportReport = Omit<ObdImportView, 'id' | 'vin' | 'importedAt' | 'importedBy'>;
