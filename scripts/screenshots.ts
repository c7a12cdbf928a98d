// `npm run screenshots`: the README's pictures of the main pages, taken in Debian's Chromium from a running
// platform (`npm start`; SCREENSHOT_BASE_URL for another address) signed in with the demo logins. Writes
// docs/screenshots/*.png. The vehicle page's OBD import is shown by importing carOBD's drive1 log (one of the real
// logs in ../shared/data/obd) into demo car 5: the same file again stores nothing, so rerunning changes no data.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { obdDataDir } from '#app/config';
import { launchBrowser } from '../test/support/browser.js';
import { projectRoot } from '../test/support/project-root.js';

const BASE = process.env.SCREENSHOT_BASE_URL ?? 'http://127.0.0.1:3000';
const OUT = join(projectRoot, 'docs', 'screenshots');
const STAFF = { email: 'staff@demo.carhealth.local', password: 'demo-staff-2026' };
const OWNER = { email: 'owner1@demo.carhealth.local', password: 'demo-owner-2026' };
/** Demo car 2 develops a coolant drift: its vehicle page has the most to show. */
const DRIFTING_CAR = 'LCHDEM00000000002';
const IMPORT_CAR = 'LCHDEM00000000005';
const DESKTOP: BrowserContextOptions = { locale: 'en-GB', viewport: { width: 1280, height: 900 } };
const PHONE: BrowserContextOptions = { locale: 'en-GB', viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const WAIT = { timeout: 30_000 };

async function signedIn(browser: Browser, path: string, login: { email: string; password: string }, options: BrowserContextOptions): Promise<Page> {
  const page = await (await browser.newContext(options)).newPage();
  await page.goto(`${BASE}${path}`);
  await page.fill('input[name=email]', login.email);
  await page.fill('input[name=password]', login.password);
  await page.click('button[type=submit]');
  return page;
}

async function shot(page: Page, name: string, fullPage = true): Promise<void> {
  // ECharts animates its series in: let it finish before the picture.
  await page.waitForTimeout(1_200);
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage });
  console.log(`docs/screenshots/${name}.png`);
}

async function dashboardPages(browser: Browser): Promise<void> {
  const page = await signedIn(browser, '/dashboard/', STAFF, DESKTOP);
  await page.locator('.tiles').waitFor(WAIT);
  await page.locator('figure[data-chart=fleet] canvas').waitFor(WAIT);
  await shot(page, 'dashboard-attention', false);
  await page.locator('.list').first().waitFor(WAIT);
  await page
    .locator('.list')
    .first()
    .screenshot({ path: join(OUT, 'call-list.png') });
  console.log('docs/screenshots/call-list.png');

  await page.goto(`${BASE}/dashboard/#/vehicle/${DRIFTING_CAR}`);
  await page.locator('figure[data-chart=health] canvas').waitFor(WAIT);
  await shot(page, 'vehicle-charts');

  const booked = await bookedAppointment(DRIFTING_CAR);
  await page.goto(`${BASE}/dashboard/#/appointments?view=day&date=${booked}`);
  await page.locator('#view h1', { hasText: 'Appointments' }).waitFor(WAIT);
  await page.locator('.week-nav').waitFor(WAIT);
  await shot(page, 'appointments');

  await page.goto(`${BASE}/dashboard/#/vehicles`);
  await page.locator('.vehicle-filters').waitFor(WAIT);
  await page.locator('#view table tbody tr').first().waitFor(WAIT);
  await shot(page, 'all-vehicles');

  await page.goto(`${BASE}/dashboard/#/vehicle/${IMPORT_CAR}`);
  await page.locator('section.obd-import form').waitFor(WAIT);
  await page.setInputFiles('section.obd-import input[type=file]', join(obdDataDir(), 'carOBD', 'drive1.csv'));
  // carOBD logs have only the engine's run time: the drive is placed three days ago at 08:00 (local time).
  const start = new Date(Date.now() - 3 * 86_400_000);
  await page.fill('section.obd-import input[name=startedAt]', `${start.toISOString().slice(0, 10)}T08:00:00`);
  await page.click('section.obd-import button[type=submit]');
  await page.locator('section.obd-import .obd-result').waitFor(WAIT);
  await page.locator('section.obd-import table.obd-imports').waitFor(WAIT);
  await page.locator('section.obd-import').screenshot({ path: join(OUT, 'obd-import.png') });
  console.log('docs/screenshots/obd-import.png');
}

/**
 * The demo has no appointment until someone books one: the first run records a call with a booking for tomorrow
 * 10:00 (as staff would from the call list), so the day view has something to show. Later runs find it there.
 * Answers the appointment's day (YYYY-MM-DD).
 */
async function bookedAppointment(vin: string): Promise<string> {
  const json = async (path: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<unknown> => {
    const response = await fetch(`${BASE}/api/v1${path}`, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });
    if (!response.ok) throw new Error(`${path}: ${String(response.status)} ${await response.text()}`);
    return response.json();
  };
  const { accessToken } = (await json('/auth/login', { method: 'POST', body: JSON.stringify(STAFF) })) as { accessToken: string };
  const authorization = { authorization: `Bearer ${accessToken}` };
  const [first] = (await json('/appointments?limit=1', { headers: authorization })) as { preferredAt: string; scheduledAt: string | null }[];
  const existing = first === undefined ? undefined : (first.scheduledAt ?? first.preferredAt);
  if (existing !== undefined) return existing.slice(0, 10);
  const at = new Date(Date.now() + 86_400_000);
  at.setHours(10, 0, 0, 0);
  await json(`/dashboard/call-list/${vin}/outcomes`, {
    method: 'POST',
    headers: authorization,
    body: JSON.stringify({ outcome: 'BOOKED', note: 'Cooling system check', appointmentAt: at.toISOString() }),
  });
  return at.toISOString().slice(0, 10);
}

async function ownerApp(browser: Browser): Promise<void> {
  const page = await signedIn(browser, '/app/', OWNER, PHONE);
  const card = page.locator(`article.vehicle[data-vin="${DRIFTING_CAR}"]`);
  await card.waitFor(WAIT);
  // A phone's screen, not the whole scroll: the reminders and the cars, then the drifting car's trends.
  await shot(page, 'owner-app-phone', false);
  await card.locator('details.trends summary').click();
  const chart = card.locator('figure[data-chart=coolant]');
  await chart.locator('canvas').waitFor(WAIT);
  await chart.scrollIntoViewIfNeeded();
  await shot(page, 'owner-app-trends-phone', false);
}

async function main(): Promise<void> {
  await mkdir(OUT, { recursive: true });
  const browser = await launchBrowser();
  try {
    await dashboardPages(browser);
    await ownerApp(browser);
  } finally {
    await browser.close();
  }
}

await main();
