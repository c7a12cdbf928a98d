import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { hashPassword } from '#app/auth';
import { APP_CONFIG, type AppConfig, loadApiConfig } from '#app/config';
import { applyMigrations, type PrismaClient, PrismaService } from '#app/database';
import { AppModule } from '../../apps/api/src/app.module.js';
import { setUpApp } from '../../apps/api/src/app.setup.js';

const migrationsDir = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

/** The API as main.ts builds it, on the real Postgres / Redis / broker from the environment. */
export async function startApi(
  adjustConfig: (config: AppConfig) => AppConfig = (config) => config,
): Promise<{ app: INestApplication; prisma: PrismaClient }> {
  const config = adjustConfig(loadApiConfig());
  await applyMigrations(config.databaseUrl, migrationsDir);
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(APP_CONFIG)
    .useValue(config)
    .compile();
  const app = setUpApp(moduleRef.createNestApplication({ logger: ['error', 'warn'] }));
  await app.init();
  // The live events' Redis transport (the API is a hybrid app), as main.ts starts it.
  await app.startAllMicroservices();
  return { app, prisma: app.get(PrismaService) };
}

const VIN_ALPHABET = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';

/** A valid VIN nobody else's test uses. */
export function uniqueVin(): string {
  return Array.from(randomBytes(17), (byte) => VIN_ALPHABET[byte % VIN_ALPHABET.length]).join('');
}

export function uniqueEmail(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}@test.carhealth.local`;
}

export const TEST_PASSWORD = 'correct horse battery staple';

/** One service center with a staff member, an owner and a vehicle, all unique to this call. */
export async function createTenant(prisma: PrismaClient, label: string) {
  const passwordHash = await hashPassword(TEST_PASSWORD);
  const center = await prisma.serviceCenter.create({ data: { name: `${label} ${randomUUID()}`, city: 'Qingdao' } });
  const staff = await prisma.user.create({
    data: { email: uniqueEmail(`${label}-staff`), passwordHash, role: 'STAFF', name: `${label} staff`, serviceCenterId: center.id },
  });
  const owner = await prisma.user.create({
    data: { email: uniqueEmail(`${label}-owner`), passwordHash, role: 'OWNER', name: `${label} owner` },
  });
  const vehicle = await prisma.vehicle.create({
    data: {
      vin: uniqueVin(),
      make: 'Toyota',
      model: 'Corolla',
      year: 2021,
      serviceCenterId: center.id,
      ownerId: owner.id,
      odometerKm: 42_000,
    },
  });
  return { center, staff, owner, vehicle };
}

export async function tokenFor(app: INestApplication, email: string, password = TEST_PASSWORD): Promise<string> {
  const response = await request(app.getHttpServer()).post('/api/v1/auth/login').send({ email, password }).expect(200);
  return (response.body as { accessToken: string }).accessToken;
}
