import type { Browser, Page } from 'playwright-core';
import type { PrismaClient } from '#app/database';
import { createTenant } from '../api/api-test.fixtures.js';
import { type BrowserSession, signInToDashboard, startBrowserSession } from './browser-session.js';
import { torqueLog } from '../api-obd-import/obd-log.fixture.js';

/**
 * The OBD log upload on the dashboard's vehicle page, in a real Chromium: the file input, the report per
 * column, the rows appearing as the car's history (the 48-hour chart and the last-telemetry fact), the
 * import listed with who made it, and a log with an unreadable column refused with the column named.
 */
describe('OBD log import on the vehicle page in Chromium', () => {
  let prisma: PrismaClient;
  let browser: Browser;
  let base: string;
  let session: BrowserSession;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    session = await startBrowserSession();
    ({ prisma, browser, base } = session);
  });

  afterAll(() => session.close());

  async function vehiclePage(email: string, vin: string): Promise<Page> {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      // The refused upload's 400 is logged by Chromium as a failed resource: expected here.
      if (message.type() === 'error' && !message.text().includes('Failed to load resource')) pageErrors.push(message.text());
    });
    await signInToDashboard(page, base, email);
    await page.goto(`${base}/dashboard/#/vehicle/${vin}`);
    await page.locator('section.obd-import form').waitFor({ timeout: 15_000 });
    return page;
  }

  it('uploads a Torque log: the report per column, the rows as history in the chart, and the import in the list', async () => {
    const tenant = await createTenant(prisma, 'browser-obd');
    const page = await vehiclePage(tenant.staff.email, tenant.vehicle.vin);
    expect(await page.locator('svg[aria-label="Coolant °C"]').count()).toBe(0);
    expect(await page.locator('section.obd-import table.obd-imports').count()).toBe(0);

    // 90 minutes at one row per 10 s, ending 5 minutes ago: two hourly buckets on the 48-hour chart.
    const coolant = Array.from({ length: 540 }, (_, i) => 80 + Math.min(10, i / 20));
    await page.setInputFiles('section.obd-import input[type=file]', {
      name: 'trackLog.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(torqueLog(coolant, { startMsAgo: 95 * 60_000, stepMs: 10_000 })),
    });
    await page.click('section.obd-import button[type=submit]');

    const result = page.locator('section.obd-import .obd-result');
    await result.waitFor({ timeout: 15_000 });
    await page.locator('section.obd-import table.obd-imports tbody tr').waitFor({ timeout: 15_000 });
    expect(await result.getAttribute('data-stored')).toBe('540');
    expect(await result.locator('.obd-summary').textContent()).toBe('540 rows read: 540 new, 0 already stored, 0 refused');
    const coolantRow = result.locator('tr[data-column="Engine Coolant Temperature(°C)"] td');
    expect(await coolantRow.allTextContents()).toEqual([
      'Engine Coolant Temperature(°C)',
      'coolantTempC',
      '°C',
      '540',
      '0',
      '0',
      '0',
      'header unit °C',
    ]);
    expect(await result.locator('tr[data-column="GPS Time"] td').nth(1).textContent()).toBe('ignored');

    // The page was drawn again from the API: the uploaded rows are the car's history now.
    const chart = page.locator('svg[aria-label="Coolant °C"]');
    await chart.waitFor({ timeout: 15_000 });
    expect(await chart.locator('polyline.series, circle').count()).toBeGreaterThan(0);
    const listed = await page.locator('section.obd-import table.obd-imports tbody tr td').allTextContents();
    expect(listed.slice(1, 5)).toEqual([tenant.staff.name, 'trackLog.csv', 'torque', '540 / 0 / 0']);
    expect(await page.locator('section.obd-import .obd-progress').isHidden()).toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it('refuses a log with a column it cannot read, naming the column and its count, and lists no import', async () => {
    const tenant = await createTenant(prisma, 'browser-obd-bad');
    const page = await vehiclePage(tenant.staff.email, tenant.vehicle.vin);

    await page.setInputFiles('section.obd-import input[type=file]', {
      name: 'broken.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(torqueLog(['hot', 'hot', 90], { startMsAgo: 10 * 60_000, stepMs: 1_000 })),
    });
    await page.click('section.obd-import button[type=submit]');

    const failed = page.locator('section.obd-import .obd-failed');
    await failed.waitFor({ timeout: 15_000 });
    expect(await failed.getAttribute('data-status')).toBe('400');
    expect(await failed.locator('.obd-failure').textContent()).toContain(
      'column Engine Coolant Temperature(°C): 2 of 3 cells unreadable (e.g. "hot")',
    );
    expect(await failed.locator('tr.obd-unreadable td').nth(5).textContent()).toBe('2 (hot)');
    expect(await page.locator('section.obd-import').textContent()).toContain('No logs imported yet.');
  });
});
