import type { Browser, Page } from 'playwright-core';
import type { PrismaClient } from '#app/database';
import { predictionData, syncWorstRisk } from '../api-health/api-health.fixtures.js';
import { createTenant, uniqueVin } from '../api/api-test.fixtures.js';
import { type BrowserSession, signInToDashboard, startBrowserSession } from './browser-session.js';

const DAY = 24 * 3_600_000;
// The browser runs in the test's own time zone, so a slot placed on a local day here is drawn on that day there.
const TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;
const isoDay = (date: Date) =>
  `${String(date.getFullYear())}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;

describe('dashboard call list and appointments week view in Chromium', () => {
  let prisma: PrismaClient;
  let browser: Browser;
  let base: string;
  let session: BrowserSession;
  let tenant: Awaited<ReturnType<typeof createTenant>>;
  const pageErrors: string[] = [];

  async function car(risk: 'URGENT' | 'CRITICAL') {
    const vehicle = await prisma.vehicle.create({
      data: { vin: uniqueVin(), make: 'Chery', model: 'Tiggo', year: 2021, serviceCenterId: tenant.center.id, ownerId: tenant.owner.id },
    });
    await prisma.prediction.create({ data: predictionData(vehicle.id, 'BATTERY', { risk, dueAt: new Date(Date.now() + 5 * DAY) }) });
    await syncWorstRisk(prisma, vehicle.id);
    return vehicle;
  }

  beforeAll(async () => {
    session = await startBrowserSession();
    ({ prisma, browser, base } = session);
    tenant = await createTenant(prisma, 'browser-calls');
  });

  afterAll(() => session.close());

  async function signedIn(): Promise<Page> {
    const context = await browser.newContext({ locale: 'en-GB', timezoneId: TIME_ZONE, viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await signInToDashboard(page, base, tenant.staff.email);
    return page;
  }

  it('records a call outcome with a note: the car leaves the list, shows under Handled with who called, and the vehicle page audits it', async () => {
    const called = await car('CRITICAL');
    const other = await car('URGENT');
    const page = await signedIn();
    const item = page.locator(`article[data-vin="${called.vin}"]`);
    await item.waitFor({ timeout: 15_000 });
    await page.locator(`article[data-vin="${other.vin}"]`).waitFor();

    await item.locator('input[type=text]').fill('mailbox full');
    await item.locator('button[data-outcome=NO_ANSWER]').click();

    await item.waitFor({ state: 'detached', timeout: 15_000 });
    await page.locator('#status', { hasText: `Recorded: No answer (${called.vin})` }).waitFor({ timeout: 15_000 });
    expect(await page.locator(`article[data-vin="${other.vin}"]`).count()).toBe(1);
    const stored = await prisma.callOutcome.findFirstOrThrow({ where: { vehicleId: called.id } });
    expect(stored).toMatchObject({ outcome: 'NO_ANSWER', note: 'mailbox full', staffId: tenant.staff.id });

    await page.click('a[data-view=handled]:has-text("Handled (1)")');
    const handled = page.locator(`article[data-vin="${called.vin}"] .call-last`);
    await handled.waitFor({ timeout: 15_000 });
    expect(await handled.getAttribute('data-last-outcome')).toBe('NO_ANSWER');
    expect(await handled.textContent()).toContain(`by ${tenant.staff.name}`);
    expect(await handled.textContent()).toContain('Off the list until');

    await page.goto(`${base}/dashboard/#/vehicle/${called.vin}`);
    const line = page.locator('table.audit tr[data-action="call.NO_ANSWER"]');
    await line.waitFor({ timeout: 15_000 });
    expect(await line.textContent()).toContain(tenant.staff.name);
    expect(await line.textContent()).toContain('mailbox full');
    expect(pageErrors).toEqual([]);
  });

  it('shows appointments in their day of the week, confirms a request and completes a confirmed one with its service', async () => {
    const vehicle = await car('URGENT');
    const day = new Date(Date.now() + 2 * DAY);
    const at = (hour: number) => new Date(day.getFullYear(), day.getMonth(), day.getDate(), hour, 0);
    const requested = await prisma.appointment.create({
      data: { vehicleId: vehicle.id, serviceCenterId: tenant.center.id, ownerId: tenant.owner.id, preferredAt: at(9) },
    });
    const confirmed = await prisma.appointment.create({
      data: {
        vehicleId: vehicle.id,
        serviceCenterId: tenant.center.id,
        ownerId: tenant.owner.id,
        status: 'CONFIRMED',
        preferredAt: at(14),
        scheduledAt: at(14),
        confirmedAt: new Date(),
      },
    });
    const page = await signedIn();

    await page.goto(`${base}/dashboard/#/appointments?view=week&date=${isoDay(day)}`);
    const column = page.locator(`section.day-column[data-day="${isoDay(day)}"]`);
    await column.locator(`[data-appointment="${confirmed.id}"]`).waitFor({ timeout: 15_000 });
    expect(await page.locator('section.day-column').count()).toBe(7);
    // In the day's column, by time: the 09:00 request before the 14:00 appointment.
    expect(await column.locator('article.appointment').evaluateAll((cards) => cards.map((card) => card.getAttribute('data-appointment')))).toEqual([
      requested.id,
      confirmed.id,
    ]);

    await column.locator(`[data-appointment="${requested.id}"] button[data-action=confirm]`).click();
    await column.locator(`[data-appointment="${requested.id}"][data-status=CONFIRMED]`).waitFor({ timeout: 15_000 });

    const card = column.locator(`[data-appointment="${confirmed.id}"]`);
    await card.locator('select').selectOption('BATTERY_REPLACEMENT');
    await card.locator('input[type=number]').fill('52000');
    await card.locator('button[data-action=complete]').click();
    await column.locator(`[data-appointment="${confirmed.id}"][data-status=COMPLETED]`).waitFor({ timeout: 15_000 });
    await page.locator('#status', { hasText: 'Completed: service recorded' }).waitFor({ timeout: 15_000 });
    const record = await prisma.serviceRecord.findFirstOrThrow({ where: { vehicleId: vehicle.id } });
    expect(record).toMatchObject({ kind: 'BATTERY_REPLACEMENT', odometerKm: 52_000, createdById: tenant.staff.id });

    await page.goto(`${base}/dashboard/#/appointments?view=day&date=${isoDay(day)}`);
    // The week view had the same day's column: wait for the day view to replace it.
    await page.locator('section.day-column').nth(1).waitFor({ state: 'detached', timeout: 15_000 });
    await page.locator(`section.day-column[data-day="${isoDay(day)}"] [data-appointment="${confirmed.id}"]`).waitFor({ timeout: 15_000 });
    expect(await page.locator('section.day-column').count()).toBe(1);
    expect(pageErrors).toEqual([]);
  });
});
