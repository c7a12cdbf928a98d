import type { MqttClient } from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { loadApiConfig } from '#app/config';
import { createTenant, tokenFor } from '../api/api-test.fixtures.js';
import { connectDevice, type ProvisionedDevice, provisionDevice } from '../devices/device-login.fixture.js';
import { ScratchMosquitto, waitUntil } from '../devices/mosquitto-broker.fixture.js';
import { IngestionProcess } from '../support/ingestion-process.js';
import { type BrowserSession, signInToDashboard, startBrowserSession } from './browser-session.js';

/** The claim under test: an advisor looking at the page sees the car go offline within this. */
const ON_SCREEN_BUDGET_MS = 5000;
/** How long a wait may go on before it fails, so a slow run reports its figure instead of a bare timeout. */
const WAIT_MS = 20_000;

/**
 * A device going offline, as an advisor sees it: the real ingestion process hears the broker publish the device's
 * last will, stores it and emits the change on the Nest Redis transport; the API streams it to the staff
 * dashboard, which re-draws the car's device state in place. The broker is a Mosquitto of this file's own with
 * scripts/infra.sh's device listener (login, ACL, the project's plugin): the shared broker's device files belong
 * to the demo's database, which a test must not rewrite (test/devices/mosquitto-broker.fixture.ts).
 */
describe('device going offline on the staff dashboard (Chromium)', () => {
  let broker: ScratchMosquitto;
  let session: BrowserSession;
  let browser: Browser;
  let base: string;
  let ingestion: IngestionProcess;
  let tenant: Awaited<ReturnType<typeof createTenant>>;
  let device: ProvisionedDevice;
  const clients: MqttClient[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    broker = await ScratchMosquitto.start({ internalListener: true });
    session = await startBrowserSession(() => loadApiConfig({ ...process.env, ...broker.deviceAuthEnv() }));
    ({ browser, base } = session);
    tenant = await createTenant(session.prisma, 'browser-presence');
    device = await provisionDevice(session.app, await tokenFor(session.app, tenant.staff.email), tenant.vehicle.vin);
    ingestion = new IngestionProcess({
      MQTT_URL: broker.internalUrl,
      INGEST_CLIENT_ID: `ingest-presence-ui-${String(process.pid)}`,
      INGEST_METRICS_PORT: '0',
      LOG_LEVEL: 'warn',
    });
    await ingestion.start(60_000);
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.endAsync(true).catch(() => undefined)));
    await ingestion?.stop('SIGTERM', 10_000);
    await session?.close();
    await broker?.stop();
  });

  const stateOn = (page: Page, state: string) =>
    page.locator(`.device-state[data-vin="${tenant.vehicle.vin}"][data-device-state="${state}"]`).first();

  /** Waits until the car shows `state` on every page; returns how long that took from `since`. */
  async function shownOnAll(pages: Page[], state: string, since: number): Promise<number> {
    await Promise.all(pages.map((page) => stateOn(page, state).waitFor({ state: 'attached', timeout: WAIT_MS })));
    return Date.now() - since;
  }

  /** The seconds in "… offline for 12 s" (NaN once the wording moves on to minutes). */
  const awaySeconds = async (page: Page) => Number(/(\d+) s$/.exec((await stateOn(page, 'UNPLUGGED').textContent()) ?? '')?.[1]);

  it('shows the car unplugged within seconds of its connection dying (no DISCONNECT), the time counting up, then connected again', async () => {
    const connected = await connectDevice(device, tenant.vehicle.vin);
    clients.push(connected);
    // The birth stored before the pages load, so they start from a connected car.
    await waitUntil(
      async () => (await session.prisma.deviceConnection.findUnique({ where: { vehicleId: tenant.vehicle.id } }))?.state === 'ONLINE',
      WAIT_MS,
      'the birth to be stored',
    );

    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    // Two tabs, each signed in (the token is per tab): the vehicle page and the "All vehicles" row of the car.
    const [vehiclePage, listPage] = await Promise.all([context.newPage(), context.newPage()]);
    const pages = [vehiclePage, listPage];
    for (const page of pages) {
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await signInToDashboard(page, base, tenant.staff.email);
    }
    // Same-document navigations (the hash): the tab keeps its session and its stream.
    await vehiclePage.goto(`${base}/dashboard/#/vehicle/${tenant.vehicle.vin}`);
    await listPage.goto(`${base}/dashboard/#/vehicles?q=${tenant.vehicle.vin}`);
    await shownOnAll(pages, 'CONNECTED', Date.now());
    // Each page's stream is subscribed (the server subscribes before it answers): nothing published now is missed.
    await Promise.all(pages.map((page) => page.locator('body[data-live="open"]').waitFor({ state: 'attached', timeout: WAIT_MS })));

    // What pulling the dongle does: the socket is gone without DISCONNECT, so the broker publishes the last will.
    const cutAt = Date.now();
    connected.stream.destroy();
    const offlineMs = await shownOnAll(pages, 'UNPLUGGED', cutAt);
    console.log(`device offline -> on screen (vehicle page and list row): ${String(offlineMs)} ms`);
    expect(offlineMs).toBeLessThan(ON_SCREEN_BUDGET_MS);
    expect(await stateOn(vehiclePage, 'UNPLUGGED').textContent()).toMatch(/^Unplugged, offline for \d+ s$/);
    expect(await stateOn(listPage, 'UNPLUGGED').textContent()).toMatch(/^Unplugged, offline for \d+ s$/);

    // The time away grows on the page by itself.
    const first = await awaySeconds(vehiclePage);
    const deadline = Date.now() + WAIT_MS;
    let later = first;
    while (!(later > first) && Date.now() < deadline) {
      await vehiclePage.waitForTimeout(250);
      later = await awaySeconds(vehiclePage);
    }
    expect(later).toBeGreaterThan(first);

    const reconnectAt = Date.now();
    clients.push(await connectDevice(device, tenant.vehicle.vin));
    const onlineMs = await shownOnAll(pages, 'CONNECTED', reconnectAt);
    console.log(`device back -> on screen: ${String(onlineMs)} ms (including the MQTT login)`);
    expect(onlineMs).toBeLessThan(ON_SCREEN_BUDGET_MS);
    expect(await stateOn(vehiclePage, 'CONNECTED').textContent()).toBe('Connected');
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
