import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import type { PrismaClient } from '#app/database';
import { createTenant, TEST_PASSWORD } from '../api/api-test.fixtures.js';
import { createReminder } from '../api-reminders/reminder-test.fixtures.js';
import { noonDaysAgo, seedDrive, seedPrediction, type Tenant } from '../api-charts/chart-test.fixtures.js';
import { type BrowserSession, startBrowserSession } from './browser-session.js';

const DAY_MS = 86_400_000;
const SCREENSHOTS = process.env.CHART_SCREENSHOT_DIR;

interface DrawnChart {
  name: string;
  caption: string;
  canvasWidth: number;
  yAxisName: string;
  seriesPoints: number[];
}

/** Seeds a car with a coolant drift, tyre readings and the models' figures, as the worker would have stored them. */
async function seedEvidence(prisma: PrismaClient, tenant: Tenant): Promise<void> {
  const now = new Date();
  const vehicleId = tenant.vehicle.id;
  for (const [daysAgo, warmC] of [
    [6, 90],
    [4, 92],
    [2, 94],
    [1, 96],
  ] as const) {
    await seedDrive(prisma, vehicleId, noonDaysAgo(now, daysAgo), { minutes: 30, warmC, overheatMinutes: daysAgo === 1 ? [20] : [] });
  }
  for (const [daysAgo, tread, odometerKm] of [
    [6, 5.0, 41_000],
    [4, 4.9, 41_500],
    [1, 4.8, 42_000],
  ] as const) {
    const ts = noonDaysAgo(now, daysAgo);
    await prisma.tireReading.createMany({
      data: (['FL', 'FR', 'RL', 'RR'] as const).map((position) => ({
        vehicleId,
        position,
        ts,
        source: 'DEVICE' as const,
        odometerKm,
        treadMm: tread,
        pressureKpa: position === 'FR' ? 215 - daysAgo : 230,
      })),
    });
  }
  const day = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY_MS).toISOString().slice(0, 10);
  await seedPrediction(prisma, vehicleId, 'ENGINE_COOLING', {
    scoredAt: now,
    risk: 'WATCH',
    health: 70,
    evidence: { baseline: { medianC: 90 }, dangerC: 105, forecastDaysToDanger: { eta: 25, low: 15, high: 45 } },
    confidence: { kind: 'interval', unit: 'days', level: 0.8, low: 15, high: 45 },
    findings: [
      {
        code: 'COOLANT_DRIFT',
        subject: '',
        risk: 'WATCH',
        message: 'Your engine now runs at about 96 C when warm, up from its usual 90 C.',
        params: { baselineC: 90, currentC: 96, slopeCPerDay: 0.6, daysToDanger: 25 },
      },
    ],
  });
  await seedPrediction(prisma, vehicleId, 'TIRES', {
    scoredAt: now,
    risk: 'SOON',
    health: 55,
    evidence: { currentOdometerKm: 42_000, wheels: { FL: { kmTo3mm: 18_000, kmTo1_6mm: 32_000 } } },
    findings: [
      {
        code: 'TIRE_SLOW_LEAK',
        subject: 'FR',
        risk: 'SOON',
        message: 'Your front-right tyre is losing air.',
        params: { wheel: 'FR', lossKpaPerDay: 2.5, recentDropKpa: 10 },
      },
    ],
  });
  await seedPrediction(prisma, vehicleId, 'FUEL_ECONOMY', {
    scoredAt: now,
    evidence: {
      dailyRatios: [
        { day: day(4), ratio: 1.01 },
        { day: day(2), ratio: 1.04 },
      ],
      degradationPct: { value: 3, low90: 1, high90: 5 },
    },
  });
  await seedPrediction(prisma, vehicleId, 'BATTERY', {
    scoredAt: now,
    evidence: {
      daily: [
        { day: day(4), restingV: 12.5, crankDipV: 10.4 },
        { day: day(2), restingV: 12.4, crankDipV: 10.1 },
      ],
    },
  });
}

/**
 * The charts in a real Chromium: the figures with their captions, the canvases ECharts drew, and the series
 * it holds (read back from ECharts itself, so an empty chart in a right-sized box does not pass).
 */
describe('charts of the evidence in Chromium', () => {
  let prisma: PrismaClient;
  let browser: Browser;
  let base: string;
  let session: BrowserSession;
  let tenant: Tenant;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    session = await startBrowserSession();
    ({ prisma, browser, base } = session);
    tenant = await createTenant(prisma, 'browser-charts');
    await seedEvidence(prisma, tenant);
  });

  afterAll(() => session.close());

  async function openPage(path: string, options: BrowserContextOptions = {}): Promise<Page> {
    const context = await browser.newContext({ locale: 'en-GB', ...options });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`${path}: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().includes('Failed to load resource')) pageErrors.push(`${path}: ${message.text()}`);
    });
    await page.goto(`${base}${path}`);
    return page;
  }

  async function signIn(page: Page, email: string): Promise<void> {
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', TEST_PASSWORD);
    await page.click('button[type=submit]');
  }

  /** Each drawn chart under `scope`: its caption, canvas width, y-axis name and the points of each series. */
  function drawnCharts(page: Page, scope: string): Promise<DrawnChart[]> {
    // A string, run in the page: this test project has no DOM types, and the page's own ECharts module
    // (same URL, so the same instance registry) is what answers.
    return page.evaluate<DrawnChart[]>(`(async () => {
      const echarts = await import('/vendor/echarts/echarts.esm.min.js');
      return [...document.querySelectorAll(${JSON.stringify(scope)} + ' figure.evidence-chart')].map((figure) => {
        const box = figure.querySelector('.chart-canvas');
        const option = box === null ? undefined : echarts.getInstanceByDom(box)?.getOption();
        return {
          name: figure.dataset.chart ?? '',
          caption: figure.querySelector('figcaption')?.textContent ?? '',
          canvasWidth: figure.querySelector('canvas')?.getBoundingClientRect().width ?? 0,
          yAxisName: option?.yAxis[0]?.name ?? '',
          seriesPoints: option?.series.map((series) => series.data?.length ?? 0) ?? [],
        };
      });
    })()`);
  }

  it("draws the evidence charts on the dashboard's vehicle page, each with its caption, units and data, and the fleet chart", async () => {
    const page = await openPage('/dashboard/', { viewport: { width: 1280, height: 900 } });
    await signIn(page, tenant.staff.email);
    await page.locator('figure[data-chart=fleet] canvas').waitFor({ timeout: 15_000 });
    const [fleet] = await drawnCharts(page, '.charts-grid.fleet');
    expect(fleet.caption).toContain('per component and current risk');
    expect(fleet.seriesPoints.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    // The call list says why in staff words, from the finding's figures (not the sentence written for the owner).
    expect(await page.locator('main').textContent()).toContain('Tyres: Front-right tyre losing 2.5 kPa a day');

    await page.goto(`${base}/dashboard/#/vehicle/${tenant.vehicle.vin}`);
    await page.locator('figure[data-chart=health] canvas').waitFor({ timeout: 15_000 });
    const charts = await drawnCharts(page, 'main');
    const byName = new Map(charts.map((chart) => [chart.name, chart]));

    expect(charts.map((chart) => chart.name)).toEqual(['coolant', 'overheat', 'tread', 'pressure', 'fuel', 'battery', 'health']);
    for (const chart of charts) {
      expect(chart.caption.length).toBeGreaterThan(30);
      expect(chart.canvasWidth).toBeGreaterThan(300);
      expect(Math.max(...chart.seriesPoints)).toBeGreaterThan(0);
    }
    expect(byName.get('coolant')).toMatchObject({ yAxisName: 'Coolant (°C)', seriesPoints: [4, 2] });
    expect(byName.get('coolant')?.caption).toMatch(/normal \(90 °C\) and the danger line \(105 °C\); dashed: trend reaching it around/);
    expect(byName.get('overheat')?.yAxisName).toBe('Episodes');
    expect(byName.get('tread')?.yAxisName).toBe('Tread (mm)');
    expect(byName.get('pressure')?.caption).toContain('leak found: FR');
    expect(byName.get('pressure')?.yAxisName).toBe('Pressure (kPa)');
    expect(byName.get('fuel')?.yAxisName).toBe('% of expected');
    expect(byName.get('battery')).toMatchObject({ yAxisName: 'Voltage (V)', seriesPoints: [2, 2] });
    expect(byName.get('health')?.yAxisName).toBe('Health (0-100)');
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/charts-dashboard-vehicle.png`, fullPage: true });
    const cooling = page.locator('section.component', { hasText: 'Engine cooling' });
    expect(await cooling.locator('ul.findings').textContent()).toContain('Engine runs at 96 C when warm, usually 90 C; 105 C in about 25 days');
    expect(await page.locator('main').textContent()).not.toMatch(/\bYour\b/);

    // In Chinese: the page is drawn again, captions and axis names in Chinese, with the same units.
    await page.click('#lang-toggle');
    await page.locator('figure[data-chart=coolant] figcaption', { hasText: '危险线' }).waitFor({ timeout: 15_000 });
    await page.locator('figure[data-chart=health] canvas').waitFor({ timeout: 15_000 });
    const zh = await drawnCharts(page, 'main');
    expect(zh.find((chart) => chart.name === 'coolant')?.yAxisName).toBe('冷却液（°C）');
    expect(zh.find((chart) => chart.name === 'pressure')?.yAxisName).toBe('气压（kPa）');
    expect(await page.locator('section.component', { hasText: '发动机冷却' }).locator('ul.findings').textContent()).toContain(
      '热车水温 96°C，平时 90°C；约 25 天后达到 105°C',
    );
    expect(await page.locator('section.component', { hasText: '燃油经济性' }).locator('p').innerText()).toBe('未发现异常');
    expect(pageErrors).toEqual([]);
  });

  it("shows the owner's car trends at phone width, with no stray text, no contradicting health figure and due dates in days", async () => {
    const owner = await createTenant(prisma, 'browser-charts-owner');
    const components = ['ENGINE_COOLING', 'FUEL_ECONOMY', 'TIRES', 'BATTERY'] as const;
    for (const component of components)
      await seedPrediction(prisma, owner.vehicle.id, component, { scoredAt: new Date(), health: 60, risk: 'OK', evidence: {} });
    await createReminder(prisma, owner, { subject: 'RL', dueAt: new Date(Date.now() + 5 * DAY_MS + 17 * 60_000) });

    const page = await openPage('/app/', { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    await signIn(page, owner.owner.email);
    const card = page.locator(`article.vehicle[data-vin="${owner.vehicle.vin}"]`);
    await card.waitFor({ timeout: 15_000 });
    const text = (await page.locator('main').textContent()) ?? '';

    expect(text).not.toMatch(/\bnull\b|\bundefined\b/);
    expect(text).not.toMatch(/Health \d+ ?%/);
    expect(await card.locator('.health-summary').textContent()).toBe('All 4 checks OK');
    expect(text).toContain('Due: in about 5 days');
    expect(text).not.toMatch(/Due: [^\n]*\d{1,2}:\d{2}/);

    await card.locator('details.trends summary').click();
    await card.locator('figure[data-chart=health] .chart-canvas canvas, figure[data-chart=health] .chart-empty').first().waitFor({ timeout: 15_000 });
    const ownerCharts = await drawnCharts(page, `article.vehicle[data-vin="${owner.vehicle.vin}"]`);
    expect(ownerCharts.map((chart) => chart.name)).toEqual(['coolant', 'tread', 'battery', 'health']);
    expect(ownerCharts.every((chart) => chart.caption.length > 30)).toBe(true);
    const health = ownerCharts.find((chart) => chart.name === 'health');
    expect(health?.seriesPoints).toEqual([1, 1, 1, 1]);
    expect(health?.canvasWidth).toBeGreaterThan(250);
    expect(health?.canvasWidth).toBeLessThanOrEqual(390);
    expect(pageErrors).toEqual([]);
  });

  it("draws the owner's coolant, tyre and battery charts from the car's own evidence", async () => {
    const page = await openPage('/app/', { viewport: { width: 390, height: 844 }, isMobile: true });
    await signIn(page, tenant.owner.email);
    const card = page.locator(`article.vehicle[data-vin="${tenant.vehicle.vin}"]`);
    await card.locator('details.trends summary').click();
    await card.locator('figure[data-chart=health] canvas').waitFor({ timeout: 15_000 });
    const charts = await drawnCharts(page, `article.vehicle[data-vin="${tenant.vehicle.vin}"]`);

    expect(charts.map((chart) => [chart.name, chart.yAxisName])).toEqual([
      ['coolant', 'Coolant (°C)'],
      ['tread', 'Tread (mm)'],
      ['battery', 'Voltage (V)'],
      ['health', 'Health (0-100)'],
    ]);
    expect(charts.every((chart) => Math.max(...chart.seriesPoints) > 0)).toBe(true);
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/charts-owner-phone.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
