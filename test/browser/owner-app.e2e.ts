import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import type { PrismaClient } from '#app/database';
import { COMPONENTS } from '#app/maintenance/vocabulary';
import { createTenant, startApi, TEST_PASSWORD, tokenFor } from '../api/api-test.fixtures.js';
import { predictionData } from '../api-health/api-health.fixtures.js';
import { createReminder, createTyreVisitReminder } from '../api-reminders/reminder-test.fixtures.js';
import { launchBrowser } from '../support/browser.js';
import { waitFor } from '../support/telemetry-publisher.js';

/**
 * The owner web app and the staff dashboard in a real (headless) Chromium against the real API: the pages
 * load, sign in, show what the API holds, act through it and follow its live events, with no script error.
 * Push delivery itself is not here: a browser's push service is the vendor's (covered by test/notifications).
 */
describe('owner app and dashboard in Chromium', () => {
  let app: INestApplication;
  let prisma: PrismaClient;
  let browser: Browser;
  let base: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ({ app, prisma } = await startApi());
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function openPage(path: string): Promise<Page> {
    const context = await browser.newContext({ locale: 'en-GB' });
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

  it('lets an owner sign in, see a reminder, acknowledge it, and follows a change made from another session', async () => {
    const tenant = await createTenant(prisma, 'browser-owner');
    const reminder = await createReminder(prisma, tenant, { subject: 'RL' });
    const page = await openPage('/app/');

    await signIn(page, tenant.owner.email);
    const card = page.locator(`article[data-reminder-id="${reminder.id}"]`);
    await card.waitFor({ timeout: 15_000 });
    expect(await card.locator('h2').textContent()).toMatch(/tyre|tread/i);
    // The service worker registered (localhost is a secure context): what "turn on notifications" builds on.
    const worker = await page.evaluate<string | null>(
      'navigator.serviceWorker.ready.then((registration) => registration.active ? registration.active.scriptURL : null)',
    );
    expect(worker).toBe(`${base}/app/sw.js`);

    await card.getByRole('button', { name: 'Got it' }).click();
    const acknowledged = await waitFor(
      () => prisma.reminder.findUniqueOrThrow({ where: { id: reminder.id } }),
      (r) => r.status === 'ACKNOWLEDGED',
      10_000,
    );
    expect(acknowledged.status).toBe('ACKNOWLEDGED');

    // Snoozed from "another phone" through the API: the open page hears it on /me/events and shows it.
    const token = await tokenFor(app, tenant.owner.email);
    await request(app.getHttpServer())
      .post(`/api/v1/reminders/${reminder.id}/snooze`)
      .set('Authorization', `Bearer ${token}`)
      .send({ until: new Date(Date.now() + 7 * 86_400_000).toISOString() })
      .expect(200);
    await page.locator(`article[data-reminder-id="${reminder.id}"]`, { hasText: 'Snoozed' }).waitFor({ timeout: 10_000 });

    expect(pageErrors).toEqual([]);
  });

  it('shows four worn tyres as one reminder naming each wheel with its tread, and marks one wheel done while the rest stays', async () => {
    const tenant = await createTenant(prisma, 'browser-owner-visit');
    const reminder = await createTyreVisitReminder(prisma, tenant, { FL: 2.8, FR: 2.7, RL: 2.9, RR: 2.6 });
    const page = await openPage('/app/');
    await signIn(page, tenant.owner.email);
    const card = page.locator(`article[data-reminder-id="${reminder.id}"]`);
    await card.waitFor({ timeout: 15_000 });
    expect(await page.locator('article.reminder').count()).toBe(1);
    expect(await card.locator('h2').textContent()).toBe('Soon: Tyres: 4 needs for one visit');
    const needs = card.locator('li.need');
    expect(await needs.count()).toBe(4);
    for (const [wheel, name, mm] of [
      ['FL', 'Front left', '2.8 mm'],
      ['FR', 'Front right', '2.7 mm'],
      ['RL', 'Rear left', '2.9 mm'],
      ['RR', 'Rear right', '2.6 mm'],
    ] as const) {
      const need = card.locator(`li.need[data-need-subject="${wheel}"]`);
      expect(await need.innerText()).toContain(`${name} tyre tread is wearing out`);
      expect(await need.innerText()).toContain(`The tread was measured at ${mm}`);
    }

    // Only the front-left tyre was replaced: that wheel is done, the reminder stays open for the other three.
    page.once('dialog', (dialog) => void dialog.accept());
    await card.locator('li.need[data-need-subject="FL"]').getByRole('button', { name: 'Done' }).click();
    await card.locator('li.need[data-need-subject="FL"][data-need-status="DONE"]').waitFor({ timeout: 10_000 });
    expect(await card.locator('h2').textContent()).toBe('Soon: Tyres: 3 needs for one visit');
    expect(await card.locator('li.need[data-need-status="OPEN"]').count()).toBe(3);
    const stored = await prisma.reminder.findUniqueOrThrow({ where: { id: reminder.id }, include: { items: true } });
    expect(stored.status).toBe('OPEN');
    expect(stored.items.map((item) => [item.subject, item.status]).sort()).toEqual([
      ['FL', 'DONE'],
      ['FR', 'OPEN'],
      ['RL', 'OPEN'],
      ['RR', 'OPEN'],
    ]);
    const records = await prisma.serviceRecord.findMany({ where: { reminderId: reminder.id } });
    expect(records.map((record) => [record.kind, record.positions])).toEqual([['TIRE_REPLACEMENT', ['FL']]]);
    expect(pageErrors).toEqual([]);
  });

  it("shows a car's health per component with no stray text, due times in days or dates, and the findings in Chinese", async () => {
    const tenant = await createTenant(prisma, 'browser-owner-health');
    const vehicleId = tenant.vehicle.id;
    // Six components all OK with a low health number: a single "Health 60 %" used to contradict "all OK".
    await prisma.prediction.createMany({
      data: COMPONENTS.map((component) => predictionData(vehicleId, component, { health: 60 })),
    });
    await createReminder(prisma, tenant, { subject: 'FL' });
    const page = await openPage('/app/');
    await signIn(page, tenant.owner.email);
    const car = page.locator(`article[data-vin="${tenant.vehicle.vin}"]`);
    await car.locator('.health-summary', { hasText: 'All 6 checks OK' }).waitFor({ timeout: 15_000 });
    expect(await car.innerText()).not.toMatch(/%/);

    // The tyres now need attention, due in three days (and 17 minutes: the page must not show them).
    await prisma.prediction.update({
      where: { vehicleId_component: { vehicleId, component: 'TIRES' } },
      data: {
        risk: 'SOON',
        dueAt: new Date(Date.now() + 3 * 86_400_000 + 17 * 60_000),
        explanation: 'Front-left tyre tread is wearing out.',
        findings: [
          {
            code: 'TIRE_TREAD_WEAR',
            subject: 'FL',
            risk: 'SOON',
            message: 'Front-left tyre tread is wearing out',
            params: { wheel: 'FL', treadMm: 2.4 },
          },
        ],
      },
    });
    await page.reload();
    await car.locator('.health-summary', { hasText: 'Needs attention: Tyres (Soon)' }).waitFor({ timeout: 15_000 });
    const english = await page.locator('#view').innerText();
    expect(english).toContain('Due: in about 3 days');
    expect(english).not.toMatch(/\bnull\b|\bundefined\b|NaN|%/);
    expect(english).not.toMatch(/\b\d{1,2}:\d{2}\b/);

    await page.click('#lang-toggle');
    await car.getByText('左前轮胎花纹即将磨损到限（2.4 毫米）').waitFor({ timeout: 10_000 });
    const chinese = await car.innerText();
    expect(chinese).toContain('未发现异常');
    expect(chinese).toContain('约 3 天后');
    expect(chinese).not.toMatch(/looks fine|wearing out|null|undefined/);
    // The reminder too, though the language is not saved in the settings: the app reads it again in Chinese.
    const reminderTitle = page.locator('article[data-reminder-id] h2');
    await reminderTitle.filter({ hasText: /左前/ }).waitFor({ timeout: 10_000 });
    expect(await reminderTitle.innerText()).not.toMatch(/[A-Za-z]{4,}/);
    expect(pageErrors).toEqual([]);
  });

  it("tells a refused action in the owner's language, not in the API's English", async () => {
    const tenant = await createTenant(prisma, 'browser-error-zh');
    const reminder = await createReminder(prisma, tenant, { subject: 'FL' });
    const page = await openPage('/app/');
    await page.click('#lang-toggle');
    await signIn(page, tenant.owner.email);
    const card = page.locator(`article[data-reminder-id="${reminder.id}"]`);
    await card.waitFor({ timeout: 15_000 });
    // Closed behind the page's back (no live event): the API refuses the acknowledgement with a 409.
    await prisma.reminder.update({ where: { id: reminder.id }, data: { status: 'RESOLVED', closedAt: new Date(), nextNotifyAt: null } });
    await card.getByRole('button', { name: '知道了' }).click();
    await page.locator('#status', { hasText: '此提醒的状态已改变' }).waitFor({ timeout: 10_000 });
    expect(await page.locator('#status').innerText()).not.toMatch(/Cannot|reminder/);
    expect(pageErrors).toEqual([]);
  });

  it('lets an owner book a service from a reminder with the form, then cancel it under My appointments', async () => {
    const tenant = await createTenant(prisma, 'browser-booking');
    const reminder = await createReminder(prisma, tenant, { subject: 'RR' });
    const page = await openPage('/app/');
    page.on('dialog', (dialog) => void dialog.accept());
    await signIn(page, tenant.owner.email);
    await page.locator('#live.on').waitFor({ timeout: 15_000 });

    const card = page.locator(`article[data-reminder-id="${reminder.id}"]`);
    await card.getByRole('button', { name: 'Book' }).click();
    await card.locator('textarea').fill('Saturday morning, please');
    await card.getByRole('button', { name: 'Send request' }).click();
    const booked = await waitFor(
      () => prisma.appointment.findFirst({ where: { reminderId: reminder.id } }),
      (a) => a !== null,
      10_000,
    );
    expect(booked).toMatchObject({ status: 'REQUESTED', notes: expect.stringContaining('Saturday morning, please') });
    expect((await prisma.reminder.findUniqueOrThrow({ where: { id: reminder.id } })).status).toBe('BOOKED');

    await page.goto(`${base}/app/#appointments`);
    await page.getByRole('button', { name: 'Cancel appointment' }).click();
    const cancelled = await waitFor(
      () => prisma.appointment.findUniqueOrThrow({ where: { id: booked!.id } }),
      (a) => a.status === 'CANCELLED',
      10_000,
    );
    expect(cancelled.status).toBe('CANCELLED');
    expect((await prisma.reminder.findUniqueOrThrow({ where: { id: reminder.id } })).status).toBe('OPEN');
    expect(pageErrors).toEqual([]);
  });

  it('lets an owner replace the password the service center handed over, in settings', async () => {
    const tenant = await createTenant(prisma, 'browser-password');
    const page = await openPage('/app/');
    await signIn(page, tenant.owner.email);
    // Loaded and live (the first render is done): what is typed next is not replaced by it.
    await page.locator('#live.on').waitFor({ timeout: 15_000 });

    await page.goto(`${base}/app/#settings`);
    // A weak choice is refused with zxcvbn's reason on screen, and nothing changes.
    await page.fill('input[name=current-password]', TEST_PASSWORD);
    await page.fill('input[name=new-password]', 'password1234');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('commonly used password').waitFor({ timeout: 10_000 });

    await page.fill('input[name=current-password]', TEST_PASSWORD);
    await page.fill('input[name=new-password]', 'my own passphrase 2026');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed.').waitFor({ timeout: 10_000 });

    await request(app.getHttpServer()).post('/api/v1/auth/login').send({ email: tenant.owner.email, password: 'my own passphrase 2026' }).expect(200);
    expect(pageErrors).toEqual([]);
  });

  it('shows Swagger UI at /docs under the content security policy, with no script error or refused resource', async () => {
    const page = await openPage('/docs');
    await page.locator('.opblock').first().waitFor({ timeout: 15_000 });
    expect(await page.locator('.opblock').count()).toBeGreaterThan(35);
    expect(pageErrors).toEqual([]);
  });

  it("lets staff sign in to the dashboard, and refreshes the customers list when the center's news arrives", async () => {
    const tenant = await createTenant(prisma, 'browser-staff');
    const reminder = await createReminder(prisma, tenant, { subject: 'FR' });
    const page = await openPage('/dashboard/');
    const attentionLoads: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/v1/dashboard/attention')) attentionLoads.push(r.url());
    });

    await signIn(page, tenant.staff.email);
    await page.locator('.tiles').waitFor({ timeout: 15_000 });
    expect(
      await waitFor(
        async () => attentionLoads.length,
        (n) => n >= 1,
        5_000,
      ),
    ).toBe(1);

    // The owner books: the dashboard's stream gets the appointment and reminder events and reloads the list once.
    await request(app.getHttpServer())
      .post(`/api/v1/reminders/${reminder.id}/book`)
      .set('Authorization', `Bearer ${await tokenFor(app, tenant.owner.email)}`)
      .send({ preferredAt: new Date(Date.now() + 86_400_000).toISOString() })
      .expect(200);
    expect(
      await waitFor(
        async () => attentionLoads.length,
        (n) => n >= 2,
        10_000,
      ),
    ).toBe(2);

    await page.click('a[href="#/appointments"]');
    await page.getByText(tenant.vehicle.vin).first().waitFor({ timeout: 10_000 });
    expect(pageErrors).toEqual([]);
  });
});
