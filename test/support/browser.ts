/**
 * Headless Chromium for e2e tests of the printable pages: Debian's chromium driven by
 * playwright-core (which ships no browser). Without a Chromium the tests are reported as skipped,
 * with one clear line saying why, so the suite still runs on machines without it.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** Where screenshots and PDFs go (ignored by git). */
export const TEST_OUTPUT_DIR = join(__dirname, '..', '..', 'test-output');

/** CHROMIUM_PATH if set, else Debian's /usr/bin/chromium; null when neither exists. */
export function chromiumPath(): string | null {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv !== undefined && fromEnv !== '') return existsSync(fromEnv) ? fromEnv : null;
  return existsSync(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : null;
}

const CHROMIUM_MISSING = "needs Debian's chromium (apt-get install chromium) or CHROMIUM_PATH";

/**
 * `describe` when a Chromium is installed; otherwise `describe.skip` with the reason in its name,
 * so Jest reports the browser tests as skipped (and says why), never as passed.
 */
export function describeWithChromium(name: string, body: () => void): void {
  if (chromiumPath() !== null) {
    describe(name, body);
    return;
  }
  // One plain line (console.warn in Jest adds a stack excerpt).
  process.stderr.write(`SKIPPED: ${name}: ${CHROMIUM_MISSING}\n`);
  describe.skip(`${name} (skipped: ${CHROMIUM_MISSING})`, body);
}

/** Launches headless Chromium; call only inside `describeWithChromium`. */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (executablePath === null) throw new Error(`The browser test ${CHROMIUM_MISSING}`);
  // Chromium refuses to run its sandbox as root (containers, CI).
  const asRoot = process.getuid?.() === 0;
  return chromium.launch({ executablePath, args: asRoot ? ['--no-sandbox'] : [] });
}

/**
 * Saves a full-page PNG (as on screen or a projector) and an A4 PDF (as printed) of the page as
 * test-output/<name>.{png,pdf}.
 */
export async function saveArtifacts(
  page: Page,
  name: string,
): Promise<{ png: string; pdf: string }> {
  await mkdir(TEST_OUTPUT_DIR, { recursive: true });
  const base = join(TEST_OUTPUT_DIR, name.replace(/[^A-Za-z0-9._-]+/g, '-'));
  const png = `${base}.png`;
  const pdf = `${base}.pdf`;
  await page.screenshot({ path: png, fullPage: true });
  // The PDF uses the print stylesheet even if a test emulated screen media before.
  await page.emulateMedia({ media: 'print' });
  await page.pdf({ path: pdf, format: 'A4', printBackground: true });
  await page.emulateMedia({ media: null });
  return { png, pdf };
}
