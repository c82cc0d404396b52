/**
 * Headless Debian chromium driven by playwright-core (no browser download): open a local
 * file, collect console errors, page errors and any attempted network request, take a
 * screenshot. Each launch gets a fresh profile directory, removed on close.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.NADIR_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

export interface OpenedPage {
  page: Page;
  context: BrowserContext;
  /** console.error messages, uncaught page errors, failed or non-local requests. */
  errors: string[];
  close(): Promise<void>;
}

export async function openFile(file: string, opts: { width?: number; height?: number } = {}): Promise<OpenedPage> {
  return openUrl(pathToFileURL(file).href, opts);
}

/**
 * Open a URL; requests to its own origin (e.g. a local server) are allowed, any other network
 * request is an error. Pages opened this way see `offline: false` only for that origin.
 */
export async function openUrl(url: string, opts: { width?: number; height?: number } = {}): Promise<OpenedPage> {
  const origin = url.startsWith('file:') ? null : new URL(url).origin;
  const profile = await mkdtemp(join(tmpdir(), 'nadir-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: opts.width ?? 1360, height: opts.height ?? 900 },
      offline: origin === null,
    });
  } catch (e) {
    await rm(profile, { recursive: true, force: true });
    throw e;
  }
  const errors: string[] = [];
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith('file:') && !u.startsWith('data:') && !u.startsWith('about:') && !(origin !== null && u.startsWith(`${origin}/`))) errors.push(`network request: ${u}`);
  });
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
  await page.goto(url, { waitUntil: 'load' });
  return {
    page,
    context,
    errors,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
