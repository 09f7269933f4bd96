import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { ensureChromium } from "../harness/chromium.js";

/** Screenshots of the browser tests: test/artifacts/<suite>/ (gitignored; CI keeps the folder). */
export const artifactsDir = (suite: string): string => fileURLToPath(new URL(`../../artifacts/${suite}/`, import.meta.url));

/** Headless Debian Chromium (never a downloaded browser), driven by playwright-core. */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = await ensureChromium();
  // root in a container has no user namespaces for Chromium's sandbox
  return chromium.launch({ executablePath, headless: true, args: process.getuid?.() === 0 ? ["--no-sandbox"] : [] });
}

/** Saves a full-page screenshot and prints its path. */
export async function screenshot(page: Page, suite: string, name: string): Promise<string> {
  const dir = artifactsDir(suite);
  await mkdir(dir, { recursive: true });
  const path = `${dir}${name}.png`;
  await page.screenshot({ path, fullPage: true });
  process.stdout.write(`screenshot: ${path}\n`);
  return path;
}

export interface LoadFigures {
  /** first-contentful-paint, ms after navigation start. */
  firstContentfulPaintMs: number | undefined;
  firstPaintMs: number | undefined;
  /** The page's own mark `flotilla:first-view`: the first view pushed by the server, drawn. */
  firstViewMs: number | undefined;
  /** Bytes over the wire: the document and every resource it loaded (compressed as sent). */
  transferBytes: number;
  /** The same, decoded. */
  decodedBytes: number;
}

/** What the page cost to load, from the browser's own Performance API. */
export async function loadFigures(page: Page): Promise<LoadFigures> {
  return page.evaluate(() => {
    // the browser's Performance (Node's types know other entry types only)
    type Entry = { name: string; startTime: number; transferSize: number; decodedBodySize: number };
    const perf = performance as unknown as { getEntriesByType(type: string): Entry[]; getEntriesByName(name: string): Entry[] };
    const paint = (name: string) => perf.getEntriesByType("paint").find((e) => e.name === name)?.startTime;
    const entries = [...perf.getEntriesByType("navigation"), ...perf.getEntriesByType("resource")];
    return {
      firstContentfulPaintMs: paint("first-contentful-paint"),
      firstPaintMs: paint("first-paint"),
      firstViewMs: perf.getEntriesByName("flotilla:first-view")[0]?.startTime,
      transferBytes: entries.reduce((n, e) => n + e.transferSize, 0),
      decodedBytes: entries.reduce((n, e) => n + e.decodedBodySize, 0),
    };
  });
}
