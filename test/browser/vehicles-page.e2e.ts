import type { Browser, Page } from 'playwright-core';
import { Prisma, type PrismaClient } from '#app/database';
import { createTenant } from '../api/api-test.fixtures.js';
import { type BrowserSession, signInToDashboard, startBrowserSession } from './browser-session.js';
import { deleteSeededCars } from '../support/seeded-cars.js';

const CARS = 3_000;

describe('dashboard "All vehicles" page in Chromium', () => {
  let prisma: PrismaClient;
  let browser: Browser;
  let base: string;
  let session: BrowserSession;
  let tenant: Awaited<ReturnType<typeof createTenant>>;
  const pageErrors: string[] = [];
  const prefix = `VP${String(Date.now() % 1000).padStart(3, '0')}`;

  beforeAll(async () => {
    session = await startBrowserSession();
    ({ prisma, browser, base } = session);
    tenant = await createTenant(prisma, 'browser-vehicles');
    // Thousands of cars of the center, each with its own owner: the one searched for is among them.
    await prisma.$executeRaw(Prisma.sql`
      INSERT INTO users (id, email, "passwordHash", role, name, phone)
      SELECT gen_random_uuid(), ${`vp-${prefix}-`} || g || '@test.carhealth.local', 'not-used', 'OWNER', 'Owner ' || g, '+86 137 ' || lpad(g::text, 8, '0')
        FROM generate_series(1, ${CARS}) g`);
    await prisma.$executeRaw(Prisma.sql`
      INSERT INTO vehicles (id, "serviceCenterId", "ownerId", vin, make, model, year, plate)
      SELECT gen_random_uuid(), ${tenant.center.id}::uuid, u.id, ${prefix} || lpad(split_part(split_part(u.email, '-', 3), '@', 1), 12, '0'),
             'Honda', 'Civic', 2019, 'P' || split_part(split_part(u.email, '-', 3), '@', 1)
        FROM users u WHERE u.email LIKE ${`vp-${prefix}-%`}`);
  });

  afterAll(async () => {
    // The seeded cars go again, so repeated runs do not grow the test database.
    await deleteSeededCars(prisma, tenant.center.id, prefix);
    await prisma.$executeRaw(Prisma.sql`DELETE FROM users WHERE email LIKE ${`vp-${prefix}-%`}`);
    await session.close();
  });

  async function signedIn(): Promise<Page> {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await signInToDashboard(page, base, tenant.staff.email);
    return page;
  }

  /** Polls the listed VINs until `ready` holds (the page CSP forbids waitForFunction's string evaluation). */
  async function vinsWhen(page: Page, ready: (vins: string[]) => boolean): Promise<string[]> {
    const deadline = Date.now() + 15_000;
    let vins = await listedVins(page);
    while (!ready(vins) && Date.now() < deadline) {
      await page.waitForTimeout(100);
      vins = await listedVins(page);
    }
    return vins;
  }

  const listedVins = (page: Page) =>
    page.locator('table.vehicles-table tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-vin') ?? ''));

  it(`finds one car among ${String(CARS)} by VIN, pages forward and back, and exports the view as CSV`, async () => {
    const page = await signedIn();
    await page.click('#nav a[href="#/vehicles"]');
    await page
      .locator('table.vehicles-table tbody tr')
      .first()
      .waitFor({ timeout: 15_000 })
      .catch(async (error: unknown) => {
        // What the page said instead: the status line, the view and any script error.
        throw new Error(
          `${String(error)}\nstatus: ${String(await page.locator('#status').textContent())}\nview: ${String(await page.locator('#view').textContent())}\nerrors: ${pageErrors.join(' | ')}`,
        );
      });
    const first = await listedVins(page);
    expect(first).toHaveLength(50);

    await page.click('button:has-text("Next")');
    const second = await vinsWhen(page, (vins) => vins[0] !== first[0]);
    expect(second).toHaveLength(50);
    expect(second.filter((vin) => first.includes(vin))).toEqual([]);
    await page.click('button:has-text("Previous")');
    expect(await vinsWhen(page, (vins) => vins[0] === first[0])).toEqual(first);

    const wanted = `${prefix}000000002345`;
    await page.fill('input[name=q]', wanted.toLowerCase());
    await page.press('input[name=q]', 'Enter');
    expect(await vinsWhen(page, (vins) => vins.length === 1)).toEqual([wanted]);
    expect(await page.locator('table.vehicles-table tbody tr td').nth(2).textContent()).toBe('Owner 2345');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-action=export-csv]')]);
    expect(download.suggestedFilename()).toMatch(/^vehicles-\d{4}-\d{2}-\d{2}\.csv$/);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const csv = Buffer.concat(chunks).toString('utf8').trimEnd().split('\r\n');
    expect(csv).toHaveLength(2);
    expect(csv[1]?.startsWith(`${wanted},P2345,Honda,Civic,2019,Owner 2345,'+86 137 00002345,`)).toBe(true);

    await page.click('#lang-toggle');
    await page.locator('#nav a[href="#/vehicles"]:has-text("全部车辆")').waitFor();
    expect(pageErrors).toEqual([]);
  });
});
