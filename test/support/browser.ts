/**
 * Headless Chromium for e2e tests of the printable pages: Debian's chromium driven by
 * playwright-core (which ships no browser). Without a Chromium the tests skip with one clear line
 * instead of failing, so the suite still runs on machines without it.
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

/** A launched headless Chromium, or null (after one SKIPPED line) when there is none. */
export async function browserOrSkip(): Promise<Browser | null> {
  const executablePath = chromiumPath();
  if (executablePath === null) {
    // One plain line (console.warn in Jest adds a stack excerpt).
    process.stderr.write(
      "SKIPPED: browser test needs Debian's chromium (apt-get install chromium)\n",
    );
    return null;
  }
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
