// Demo data: one service center in Qingdao, its staff, two owners and five cars. Idempotent (upserts
// on fixed ids, e-mails and VINs), so `node dist/prisma/seed.js` can run on every start.
// `--demo-devices <file>` also gives each car a device (prisma/demo-devices.ts), writes their logins to that
// file and renders the broker's device files, for a broker whose device listener this platform manages.
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { hashPassword, passwordWeakness } from '#app/auth';
import { BrokerCredentialsSync } from '#app/broker-auth';
import { loadApiConfig } from '#app/config';
import { createPrismaClient, type PrismaClient } from '#app/database';
import { provisionDemoDevices } from './demo-devices.js';

export const DEMO_SERVICE_CENTER = {
  id: '7a4c1f52-0d6b-4c1e-9a57-3f0e2b8d9c01',
  name: 'Qingdao Car Care (Demo)',
  city: 'Qingdao',
  timeZone: 'Asia/Shanghai',
} as const;

/** The demo accounts, shared by the README and the tests. */
export const DEMO_LOGINS = {
  staff: { email: 'staff@demo.carhealth.local', password: 'demo-staff-2026', role: 'STAFF', name: 'Li Na (service advisor)' },
  admin: { email: 'admin@demo.carhealth.local', password: 'demo-admin-2026', role: 'ADMIN', name: 'Demo admin' },
  owner1: { email: 'owner1@demo.carhealth.local', password: 'demo-owner-2026', role: 'OWNER', name: 'Zhang Wei' },
  owner2: { email: 'owner2@demo.carhealth.local', password: 'demo-owner-2026', role: 'OWNER', name: 'Liu Yang' },
} as const;

/** The simulator derives the same VINs: `LCHDEM` + index zero-padded to 11 digits. */
export function demoVin(index: number): string {
  return `LCHDEM${String(index).padStart(11, '0')}`;
}

export interface DemoVehicle {
  vin: string;
  make: string;
  model: string;
  year: number;
  fuelType: 'PETROL' | 'HYBRID';
  plate: string;
  owner: 'owner1' | 'owner2';
  odometerKm: number;
}

export const DEMO_VEHICLES: readonly DemoVehicle[] = [
  { vin: demoVin(1), make: 'Volkswagen', model: 'Lavida', year: 2019, fuelType: 'PETROL', plate: '鲁B·D1001', owner: 'owner1', odometerKm: 68_400 },
  { vin: demoVin(2), make: 'Toyota', model: 'Corolla', year: 2021, fuelType: 'PETROL', plate: '鲁B·D1002', owner: 'owner1', odometerKm: 41_200 },
  { vin: demoVin(3), make: 'Honda', model: 'CR-V', year: 2020, fuelType: 'PETROL', plate: '鲁B·D1003', owner: 'owner2', odometerKm: 55_900 },
  { vin: demoVin(4), make: 'Geely', model: 'Emgrand', year: 2022, fuelType: 'PETROL', plate: '鲁B·D1004', owner: 'owner2', odometerKm: 23_700 },
  { vin: demoVin(5), make: 'BYD', model: 'Qin DM-i', year: 2023, fuelType: 'HYBRID', plate: '鲁B·D1005', owner: 'owner1', odometerKm: 18_300 },
];

export interface SeedOutcome {
  serviceCenterId: string;
  userIds: Record<keyof typeof DEMO_LOGINS, string>;
  vehicleIds: string[];
}

export async function seedDemoData(prisma: PrismaClient): Promise<SeedOutcome> {
  const center = await prisma.serviceCenter.upsert({
    where: { id: DEMO_SERVICE_CENTER.id },
    create: DEMO_SERVICE_CENTER,
    update: { name: DEMO_SERVICE_CENTER.name, city: DEMO_SERVICE_CENTER.city, timeZone: DEMO_SERVICE_CENTER.timeZone },
  });

  const userIds = {} as Record<keyof typeof DEMO_LOGINS, string>;
  for (const [key, login] of Object.entries(DEMO_LOGINS) as [keyof typeof DEMO_LOGINS, (typeof DEMO_LOGINS)[keyof typeof DEMO_LOGINS]][]) {
    // The demo logins are published, but they must still pass the rule every other password passes.
    const weakness = passwordWeakness(login.password, login);
    if (weakness) throw new Error(`demo password of ${login.email} ${weakness}`);
    const passwordHash = await hashPassword(login.password);
    const serviceCenterId = login.role === 'OWNER' ? null : center.id;
    // The update resets the password too: the demo logins always work as documented.
    const user = await prisma.user.upsert({
      where: { email: login.email },
      create: { email: login.email, passwordHash, role: login.role, name: login.name, serviceCenterId },
      update: { passwordHash, role: login.role, name: login.name, serviceCenterId },
    });
    userIds[key] = user.id;
  }

  const vehicleIds: string[] = [];
  for (const { owner, odometerKm, ...vehicle } of DEMO_VEHICLES) {
    const profile = { ...vehicle, serviceCenterId: center.id, ownerId: userIds[owner] };
    // The odometer is only a starting value: telemetry moves it on, a re-seed must not turn it back.
    const row = await prisma.vehicle.upsert({
      where: { vin: vehicle.vin },
      create: { ...profile, odometerKm },
      update: profile,
    });
    vehicleIds.push(row.id);
  }
  return { serviceCenterId: center.id, userIds, vehicleIds };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'demo-devices': { type: 'string' } }, strict: true });
  const config = loadApiConfig();
  const prisma = createPrismaClient(config.databaseUrl, 2);
  try {
    const outcome = await seedDemoData(prisma);
    console.log(`[seed] ${DEMO_SERVICE_CENTER.name}: ${Object.keys(outcome.userIds).length} users, ${outcome.vehicleIds.length} vehicles`);
    const devicesFile = values['demo-devices'];
    if (devicesFile !== undefined) {
      const vehicles = DEMO_VEHICLES.map((vehicle, index) => ({ vin: vehicle.vin, id: outcome.vehicleIds[index] }));
      const devices = await provisionDemoDevices(prisma, vehicles, devicesFile, config.brokerAuth.deviceEndpoint);
      // The broker learns new secrets only from its files: render them now, before the simulator logs in.
      const sync = await new BrokerCredentialsSync(prisma, config.brokerAuth.files).sync();
      console.log(
        `[seed] demo devices: ${devices.kept} kept, ${devices.renewed} new secrets (logins in ${devicesFile}); broker files: ` +
          (sync.managed ? `${sync.devices} active devices, ${sync.reload}` : 'managed elsewhere'),
      );
    }
  } finally {
    await prisma.$disconnect();
  }
}

// Run only as a script, so tests can import DEMO_LOGINS without seeding.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
