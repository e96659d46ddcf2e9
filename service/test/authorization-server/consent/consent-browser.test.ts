import { existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../../helpers/free-port.js';
import { buildConsentTestApp, type ConsentTestApp, createMemoryConsentStore, USER_HEADER } from './consent-test-app.js';

// The Debian package `chromium` (.ci/run installs it); no browser is downloaded.
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = new URL('../../../test-artifacts/', import.meta.url).pathname;
const chromiumPresent = existsSync(CHROMIUM);
if (!chromiumPresent) {
  console.warn(`consent browser test skipped: ${CHROMIUM} not found (install the Debian package chromium)`);
}

/** CSP violations seen by the page: collected by a listener added before any of the page's own content runs. */
const RECORD_VIOLATIONS = `
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (event) => {
    window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI);
  });
`;

describe.skipIf(!chromiumPresent)('consent page in headless Chromium', () => {
  let target: ConsentTestApp;
  let consentOrigin: string;
  let framingServer: Server;
  let framingOrigin: string;
  let browser: Browser;
  let page: Page;
  let consoleErrors: string[];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    target = await buildConsentTestApp(createMemoryConsentStore());
    const consentPort = await freePort();
    await target.app.listen({ host: '127.0.0.1', port: consentPort });
    consentOrigin = `http://127.0.0.1:${consentPort}`;

    // Another origin (another port) whose page frames the consent page, as a clickjacking page would.
    framingServer = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(
        `<!doctype html><title>framing</title><iframe id="victim" width="600" height="600" src="${consentOrigin}/interaction-1/consent"></iframe>`,
      );
    });
    const framingPort = await freePort();
    await new Promise<void>((resolve) => framingServer.listen(framingPort, '127.0.0.1', resolve));
    framingOrigin = `http://127.0.0.1:${framingPort}`;

    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => framingServer?.close(resolve));
    await target?.app.close();
  });
  beforeEach(async () => {
    target.outcomes.length = 0;
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    consoleErrors = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await page.addInitScript(RECORD_VIOLATIONS);
  });

  // Expressions as strings: the service's TypeScript has no DOM types, and these run in the page, not in Node.
  const inPage = <T>(expression: string) => page.evaluate(expression) as Promise<T>;
  const violations = () => inPage<string[]>('window.__cspViolations');

  it('renders under its CSP without a single violation, and the styles apply', async () => {
    await page.goto(`${consentOrigin}/interaction-1/consent`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Example Notes');
    expect(await violations()).toEqual([]);
    expect(consoleErrors).toEqual([]);
    // The hashed stylesheet was applied (a blocked one would leave the button's default background).
    const background = await inPage<string>(
      "getComputedStyle(document.querySelector('button.approve')).backgroundColor",
    );
    expect(background).toBe('rgb(11, 87, 208)');
  });

  it('the keyboard alone reaches Approve (with a visible focus ring) and Enter approves', async () => {
    await page.goto(`${consentOrigin}/interaction-1/consent`);
    let focused = '';
    for (let presses = 0; presses < 10 && focused !== 'approve'; presses++) {
      await page.keyboard.press('Tab');
      focused = await inPage<string>("document.activeElement?.value ?? ''");
    }
    expect(focused).toBe('approve');
    const outline = await inPage<string>('getComputedStyle(document.activeElement).outlineStyle');
    expect(outline).toBe('solid');
    await Promise.all([page.waitForURL(`${consentOrigin}/interaction-1/consent`), page.keyboard.press('Enter')]);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Done');
    expect(target.outcomes.map((outcome) => outcome.decision)).toEqual(['approved']);
    expect(await violations()).toEqual([]);
  });

  it('a page on another origin that frames the consent page does not show it', async () => {
    await page.goto(`${framingOrigin}/`);
    const frame = await (await page.locator('#victim').elementHandle())?.contentFrame();
    // Blocked by frame-ancestors: Chromium puts its error page in the frame, never the consent form.
    await expect.poll(() => frame?.url()).not.toBe(`${consentOrigin}/interaction-1/consent`);
    for (const each of page.frames()) {
      expect(await each.locator('button').count()).toBe(0);
    }
    expect(consoleErrors.join('\n')).toMatch(/frame-ancestors/);
  });

  it('keeps screenshots at phone and desktop sizes, readable without sideways scrolling', async () => {
    // A user who has not approved this client: the screenshots show the "first time" notice.
    await page.setExtraHTTPHeaders({ [USER_HEADER]: 'carol' });
    for (const [width, height] of [
      [360, 740],
      [1280, 800],
    ] as const) {
      await page.setViewportSize({ width, height });
      await page.goto(`${consentOrigin}/interaction-1/consent`);
      await expect(page.locator('#first-time').isVisible()).resolves.toBe(true);
      expect(await inPage<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      const file = join(ARTIFACTS, `consent-page-${width}x${height}.png`);
      await page.screenshot({ path: file, fullPage: true });
      expect(statSync(file).size).toBeGreaterThan(1000);
    }
    expect(await violations()).toEqual([]);
  });
});
