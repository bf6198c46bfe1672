// Headless Debian Chromium driven by playwright-core (which downloads no browser of its own).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { checkChromium } from './install';
import { CHROMIUM, privateTmpDir } from './paths';
import { onTeardown } from './processTree';

export interface Browser {
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

const ARGS = [
  '--no-sandbox', // running as root in a container
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches Chromium with a fresh profile inside `runDir`. `chromium.launch()` rejects a
 *  --user-data-dir argument, hence a persistent context on an empty folder. Closed at teardown. */
export async function launchBrowser(runDir: string): Promise<Browser> {
  checkChromium();
  const profile = path.join(runDir, 'chromium');
  fs.mkdirSync(profile, { recursive: true });
  const launching = chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1400, height: 900 },
    env: { ...process.env, TMPDIR: privateTmpDir() },
    // Our own handlers tear down code-server as well; Playwright's would race them.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  let closed = false;
  const close = async (): Promise<void> => {
    // Registered before the launch completes, so a Ctrl+C during start-up still closes it properly.
    const ctx = await launching.catch(() => undefined);
    if (ctx && !closed) {
      closed = true;
      await ctx.close().catch(() => undefined);
    }
  };
  onTeardown(close);
  const context = await launching;
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page, close };
}
