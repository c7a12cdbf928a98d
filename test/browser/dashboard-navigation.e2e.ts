import type { Browser, Page } from 'playwright-core';
import type { PrismaClient } from '#app/database';
import { createTenant } from '../api/api-test.fixtures.js';
import { type BrowserSession, signInToDashboard, startBrowserSession } from './browser-session.js';

/**
 * The dashboard's router in Chromium: a page still loading when the user moves on is cancelled, so its late
 * answers do not draw over the page the user is on now.
 */
describe('dashboard navigation in Chromium', () => {
  let prisma: PrismaClient;
  let browser: Browser;
  let base: string;
  let session: BrowserSession;
  let tenant: Awaited<ReturnType<typeof createTenant>>;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    session = await startBrowserSession();
    ({ prisma, browser, base } = session);
    tenant = await createTenant(prisma, 'browser-navigation');
  });

  afterAll(() => session.close());

  async function signedIn(): Promise<Page> {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await signInToDashboard(page, base, tenant.staff.email);
    return page;
  }

  it('does not let a slow vehicle page draw over the page opened after it', async () => {
    const page = await signedIn();
    // The vehicle's health answer is held back until the user has moved on to the appointments page.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let heldRequests = 0;
    await page.route('**/api/v1/vehicles/*/health', async (route) => {
      heldRequests++;
      await held;
      // The page may have aborted the request meanwhile: then there is nothing left to answer.
      await route.continue().catch(() => undefined);
    });

    await page.goto(`${base}/dashboard/#/vehicle/${encodeURIComponent(tenant.vehicle.vin)}`);
    await page.locator('#view p.muted', { hasText: 'Loading' }).waitFor({ timeout: 15_000 });
    await page.click('#nav a[href="#/appointments"]');
    const heading = page.locator('#view h1');
    await heading.filter({ hasText: 'Appointments' }).waitFor({ timeout: 15_000 });

    release();
    // Time for the vehicle page's answers to arrive and, without the cancellation, to be drawn.
    await page.waitForTimeout(1_500);

    expect(heldRequests).toBe(1);
    expect(await heading.allTextContents()).toEqual(['Appointments']);
    expect(await page.locator('#view dl.facts').count()).toBe(0);
    expect(await page.locator('#status').textContent()).toBe('');
    expect(pageErrors).toEqual([]);
  });
});
