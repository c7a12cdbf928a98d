import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { PrismaClient } from '#app/database';
import { OBD_IMPORT_SEQ_FLOOR } from '#app/telemetry';
import { carObdText, readCephasaxLog } from '../../libs/telemetry/fixtures/obd-data.fixture.js';
import { withUnitSuffixes } from '../../apps/simulator/src/evaluation/real-logs/unit-suffixed-log.js';
import { torqueLog } from './obd-log.fixture.js';
import { closeAll, createTenant, type ScoringJobs, startApiWithOwnQueue, type Tenant, tokenFor } from '../api-health/api-health.fixtures.js';

const HOUR_MS = 3_600_000;

interface ColumnBody {
  column: string;
  readAs: string | null;
  values: number;
  unreadable: number;
  refused: number;
  note: string | null;
}

describe('OBD log import (POST /api/v1/vehicles/{vin}/obd-logs)', () => {
  let app: INestApplication;
  let prisma: PrismaClient;
  let scoringJobs: ScoringJobs;
  let tenant: Tenant;
  let other: Tenant;

  const http = () => request(app.getHttpServer());
  const path = (t: Tenant) => `/api/v1/vehicles/${t.vehicle.vin}/obd-logs`;
  const auth = async (email: string) => `Bearer ${await tokenFor(app, email)}`;
  const storedRows = (t: Tenant) => prisma.telemetrySample.count({ where: { vehicleId: t.vehicle.id } });

  beforeAll(async () => {
    ({ app, prisma, scoringJobs } = await startApiWithOwnQueue('obd-import'));
    tenant = await createTenant(prisma, 'obd-import');
    other = await createTenant(prisma, 'obd-import-other');
  });

  afterAll(async () => {
    await closeAll(app, scoringJobs);
  });

  it('imports a unit-suffixed log (82C, 2124RPM, 24,77g/s) as history with its per-column report; the same file again stores 0 new rows', async () => {
    const file = Buffer.from(withUnitSuffixes(readCephasaxLog().toString('latin1')), 'latin1');
    const startedAt = new Date(Date.now() - 2 * 24 * HOUR_MS).toISOString();
    const upload = async () =>
      http()
        .post(path(tenant))
        .set('Authorization', await auth(tenant.staff.email))
        .field('startedAt', startedAt)
        .field('logVehicle', 'control1')
        .attach('file', file, { filename: '4drivers-units.csv', contentType: 'text/csv' });

    const first = await upload();

    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      vin: tenant.vehicle.vin,
      fileName: '4drivers-units.csv',
      format: 'cephasax',
      logVehicle: 'control1',
      logVehicles: ['control1', 'control2', 'control3', 'control4'],
      importedBy: { id: tenant.staff.id },
      refused: 0,
      alreadyStored: 0,
      rescore: 'requested',
    });
    const body = first.body as { rowsRead: number; stored: number; columns: ColumnBody[] };
    expect(body.rowsRead).toBeGreaterThan(100);
    expect(body.stored).toBe(body.rowsRead);
    const columns = new Map(body.columns.map((c) => [c.column, c]));
    expect(columns.get('ENGINE_COOLANT_TEMP')).toMatchObject({ readAs: 'coolantTempC', unreadable: 0, refused: 0 });
    expect(columns.get('ENGINE_COOLANT_TEMP')?.values).toBeGreaterThan(100);
    expect(columns.get('ENGINE_RPM')).toMatchObject({ readAs: 'rpm', unreadable: 0 });
    expect(columns.get('MAF')).toMatchObject({ readAs: 'mafGps', unreadable: 0 });
    expect(columns.get('ENGINE_RUNTIME')?.readAs).toBe('clock');
    expect(columns.get('LATITUDE')).toMatchObject({ readAs: null, note: 'mangled by a spreadsheet export' });
    expect(await storedRows(tenant)).toBe(body.stored);
    const samples = await prisma.telemetrySample.findMany({ where: { vehicleId: tenant.vehicle.id }, orderBy: { ts: 'asc' }, take: 3 });
    expect(samples.every((s) => s.seq >= BigInt(OBD_IMPORT_SEQ_FLOOR))).toBe(true);
    expect(samples[0]?.fuelRateEstimated).toBe(true);
    expect(await scoringJobs.forVehicle(tenant.vehicle.id)).toEqual([expect.objectContaining({ reason: 'obd-import' })]);

    const second = await upload();

    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ stored: 0, alreadyStored: body.stored, rowsRead: body.rowsRead, rescore: 'not-needed' });
    expect(await storedRows(tenant)).toBe(body.stored);

    const list = await http()
      .get(path(tenant))
      .set('Authorization', await auth(tenant.staff.email));
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({
      vin: tenant.vehicle.vin,
      items: [
        { fileName: '4drivers-units.csv', stored: 0, alreadyStored: body.stored, importedBy: { id: tenant.staff.id, name: tenant.staff.name } },
        { fileName: '4drivers-units.csv', stored: body.stored, alreadyStored: 0 },
      ],
    });
  });

  it('takes a Torque log as a text/csv body; a value the device contract refuses is counted on its column with the reason', async () => {
    const t = await createTenant(prisma, 'obd-import-torque');
    const response = await http()
      .post(`${path(t)}?fileName=trackLog.csv`)
      .set('Authorization', await auth(t.staff.email))
      .set('Content-Type', 'text/csv')
      .send(torqueLog([88, 89, 300, 90]));

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ format: 'torque', fileName: 'trackLog.csv', rowsRead: 4, stored: 3, refused: 1 });
    expect(response.body.refusals).toEqual([{ reason: 'OUT_OF_RANGE', count: 1, example: expect.stringContaining('coolantTempC 300') as unknown }]);
    const coolant = (response.body.columns as ColumnBody[]).find((c) => c.readAs === 'coolantTempC');
    expect(coolant).toMatchObject({ column: 'Engine Coolant Temperature(°C)', values: 4, refused: 1 });
    expect(await storedRows(t)).toBe(3);
  });

  it('fails a column it cannot read, naming it with its count, and stores nothing', async () => {
    const t = await createTenant(prisma, 'obd-import-bad-column');
    const response = await http()
      .post(path(t))
      .set('Authorization', await auth(t.staff.email))
      .attach('file', Buffer.from(torqueLog(['hot', 'hot', 'warm', 90])), 'trackLog.csv');

    expect(response.status).toBe(400);
    expect(response.body.message).toContain('column Engine Coolant Temperature(°C): 3 of 4 cells unreadable (e.g. "hot")');
    expect((response.body.columns as ColumnBody[]).find((c) => c.readAs === 'coolantTempC')).toMatchObject({ unreadable: 3, values: 1 });
    expect(await storedRows(t)).toBe(0);
    expect(await prisma.obdImport.count({ where: { vehicleId: t.vehicle.id } })).toBe(0);
  });

  it('answers 400 with the reason for a file that is not a log, or a run-time log without startedAt', async () => {
    const staff = await auth(tenant.staff.email);
    const notALog = await http()
      .post(path(tenant))
      .set('Authorization', staff)
      .attach('file', Buffer.from('name,phone\nZhang,123\n'), 'contacts.csv');
    expect(notALog.status).toBe(400);
    expect(notALog.body.message).toContain('not an OBD-II log we read');

    const carObd = carObdText([
      [0, 800, 0, 15, 20, 80, 35, 30, 14.1],
      [1, 900, 5, 15, 20, 80, 35, 30, 14.1],
    ]);
    const noStart = await http().post(path(tenant)).set('Authorization', staff).attach('file', Buffer.from(carObd), 'drive.csv');
    expect(noStart.status).toBe(400);
    expect(noStart.body.message).toContain('give startedAt');

    const noFile = await http().post(path(tenant)).set('Authorization', staff).field('startedAt', new Date().toISOString());
    expect(noFile.status).toBe(400);
    expect(noFile.body.message).toContain('"file"');

    const futureStart = await http()
      .post(path(tenant))
      .set('Authorization', staff)
      .field('startedAt', new Date(Date.now() + 24 * HOUR_MS).toISOString())
      .attach('file', Buffer.from(carObd), 'drive.csv');
    expect(futureStart.status).toBe(400);
    expect(futureStart.body.message).toContain('startedAt: must not be in the future');
  });

  it('is for staff of the car’s center: 403 for its owner, 404 for another center, 401 without a login', async () => {
    const file = Buffer.from(torqueLog([88]));
    const owner = await http()
      .post(path(tenant))
      .set('Authorization', await auth(tenant.owner.email))
      .attach('file', file, 'log.csv');
    expect(owner.status).toBe(403);
    const outside = await http()
      .post(path(tenant))
      .set('Authorization', await auth(other.staff.email))
      .attach('file', file, 'log.csv');
    expect(outside.status).toBe(404);
    const listOutside = await http()
      .get(path(tenant))
      .set('Authorization', await auth(other.staff.email));
    expect(listOutside.status).toBe(404);
    const anonymous = await http().post(path(tenant)).attach('file', file, 'log.csv');
    expect(anonymous.status).toBe(401);
  });

  it('answers 413 for a file over 16 MiB and 415 for a body that is neither multipart nor CSV', async () => {
    const staff = await auth(tenant.staff.email);
    const big = Buffer.alloc(16 * 1024 * 1024 + 1, 'a');
    const tooBig = await http().post(path(tenant)).set('Authorization', staff).attach('file', big, 'huge.csv');
    expect(tooBig.status).toBe(413);
    const tooBigRaw = await http().post(path(tenant)).set('Authorization', staff).set('Content-Type', 'text/csv').send(big.toString());
    expect(tooBigRaw.status).toBe(413);
    const json = await http().post(path(tenant)).set('Authorization', staff).send({ file: 'x' });
    expect(json.status).toBe(415);
  });

  it('is documented in OpenAPI as multipart or text/csv with its report', async () => {
    const document = await http().get('/docs-json');
    const operation = document.body.paths['/api/v1/vehicles/{vin}/obd-logs'].post as {
      requestBody: { content: Record<string, unknown> };
      responses: Record<string, unknown>;
    };
    expect(Object.keys(operation.requestBody.content)).toEqual(['multipart/form-data', 'text/csv']);
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['201', '400', '403', '404', '413']));
  });
});
