import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

const webDir = fileURLToPath(new URL('..', import.meta.url));
export const repoRoot = resolve(webDir, '../..');
/** Git-ignored (`screenshots/` in .gitignore). */
export const screenshotDir = join(repoRoot, 'screenshots', 'console');

/** DESIGN.md §9: Debian's Chromium with these flags, never a downloaded browser. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * The Chromium executable for the browser suite, or undefined to skip it.
 * Under CI=true the suite may not be skipped: a missing variable is an error.
 */
export function chromiumPath(): string | undefined {
  const path = process.env.HARRIER_TEST_CHROMIUM;
  if (!path && process.env.CI === 'true') {
    throw new Error('HARRIER_TEST_CHROMIUM must be set under CI=true: the browser suite may not be skipped');
  }
  return path || undefined;
}

/** Builds the console from the current sources, so the suite tests what is checked in, not an old dist. */
export function buildConsole(): void {
  const r = spawnSync('npm', ['run', 'build'], { cwd: webDir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`console build failed:\n${r.stdout}\n${r.stderr}`);
}

export async function launch(executablePath: string): Promise<Browser> {
  mkdirSync(screenshotDir, { recursive: true });
  return chromium.launch({ executablePath, args: CHROMIUM_FLAGS, headless: true });
}

/** A full-page PNG under screenshots/console/, for people to look at. */
export async function snap(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}
