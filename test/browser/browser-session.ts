import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import type { Browser, Page } from 'playwright-core';
import type { PrismaClient } from '#app/database';
import { startApi, TEST_PASSWORD } from '../api/api-test.fixtures.js';
import { launchBrowser } from '../support/browser.js';

/** What every browser test starts from: the real API on a free loopback port, and Chromium. */
export interface BrowserSession {
  app: INestApplication;
  prisma: PrismaClient;
  browser: Browser;
  /** `http://127.0.0.1:<port>` of the API. */
  base: string;
  close(): Promise<void>;
}

export async function startBrowserSession(): Promise<BrowserSession> {
  const { app, prisma } = await startApi();
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${String((app.getHttpServer() as { address(): AddressInfo }).address().port)}`;
  const browser = await launchBrowser();
  return {
    app,
    prisma,
    browser,
    base,
    close: async () => {
      await browser.close();
      await app.close();
    },
  };
}

/**
 * Signs in to the staff dashboard on `page` and waits until the customers page has finished drawing, so a test
 * that navigates next starts from a known state.
 */
export async function signInToDashboard(page: Page, base: string, email: string): Promise<void> {
  await page.goto(`${base}/dashboard/`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', TEST_PASSWORD);
  await page.click('button[type=submit]');
  await page.locator('.tiles').waitFor({ state: 'visible', timeout: 15_000 });
}
