// Helpers that drive the VS Code web workbench (code-server) through Playwright, the way a user would:
// palette, activity bar, tree rows, notifications, editor hovers, webviews, colour themes, screenshots.
// Selectors are VS Code's own DOM classes and ARIA roles; they are collected here so that a change in
// a VS Code release is fixed in one place.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import { until } from '../../support/poll';

export type ThemeName = 'Default Light Modern' | 'Default Dark Modern' | 'Default High Contrast';

/** For each theme (its `workbench.colorTheme` id): its label in the theme picker and the class the
 *  workbench root gets. */
const THEMES: Record<ThemeName, { label: string; rootClass: string }> = {
  'Default Light Modern': { label: 'Light Modern', rootClass: 'vs' },
  'Default Dark Modern': { label: 'Dark Modern', rootClass: 'vs-dark' },
  'Default High Contrast': { label: 'Dark High Contrast', rootClass: 'hc-black' },
};

const PALETTE_INPUT = '.quick-input-widget .quick-input-box input';
const PALETTE_ROW = '.quick-input-list .monaco-list-row';

export interface WorkbenchOptions {
  screenshotDir: string;
  /** Prepended to screenshot names, e.g. `vsix-` for the installed-package run. */
  screenshotPrefix?: string;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class Workbench {
  constructor(
    readonly page: Page,
    private readonly options: WorkbenchOptions,
  ) {}

  /** Waits until the workbench is laid out and the extension host is running. */
  async waitReady(): Promise<void> {
    await this.page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
    await this.page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });
  }

  // --- command palette

  /** Keys typed while a webview (an iframe) has focus never reach the workbench's keybindings. */
  async focusWorkbench(): Promise<void> {
    await this.page.evaluate(() => {
      const active = document.activeElement;
      if (active instanceof HTMLElement && active.tagName === 'IFRAME') {
        active.blur();
      }
    });
  }

  async openPalette(): Promise<Locator> {
    await this.focusWorkbench();
    const input = this.page.locator(PALETTE_INPUT);
    await until(async () => {
      if (!(await input.isVisible())) {
        await this.page.keyboard.press('F1');
        await input.waitFor({ timeout: 2000 });
      }
      return true;
    }, { what: 'the command palette' });
    return input;
  }

  /** Runs a command by its palette title, e.g. "Port Inspector: Refresh". Fails if no entry has
   *  exactly that title (a prefix or fuzzy match is not enough). */
  async runCommand(title: string, timeoutMs = 60_000): Promise<void> {
    // A command contributed by an extension that is still activating (the TypeScript features on a busy
    // machine) is missing from the palette until its context keys are set: open the palette again until
    // it is offered, within a generous limit.
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const input = await this.openPalette();
      await input.fill(`>${title}`);
      try {
        await this.pick(title);
        return;
      } catch (err) {
        if (Date.now() > deadline || !/^no entry /.test((err as Error).message)) {
          throw err;
        }
      }
    }
  }

  /** Back to a known state between tests: no dialog, no quick input, no editors, no notifications. */
  async reset(): Promise<void> {
    await this.focusWorkbench();
    const blocking = async (): Promise<boolean> =>
      (await this.page.locator('.monaco-dialog-box').isVisible()) || (await this.page.locator(PALETTE_INPUT).isVisible());
    for (let i = 0; i < 3 && (await blocking()); i++) {
      await this.page.keyboard.press('Escape');
      await this.page.waitForTimeout(100);
    }
    await this.runCommand('View: Close All Editors');
    await this.runCommand('Notifications: Clear All Notifications');
  }

  /** Opens a workspace file through Quick Open and waits until its editor has focus. */
  async openFile(relativePath: string): Promise<void> {
    const name = path.basename(relativePath);
    await this.focusWorkbench();
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator(PALETTE_INPUT);
    await input.waitFor();
    await input.fill(relativePath);
    // Click the matching row: Enter would take whichever row is selected while the list still filters.
    await this.pick(name);
    await this.page.locator(`.tab.active[aria-label^="${name}"]`).first().waitFor();
    await this.page.locator('.editor-instance .monaco-editor.focused').first().waitFor();
  }

  /** Picks an entry by its exact label in the open quick pick. */
  private async pick(label: string): Promise<void> {
    const row = this.page
      .locator(PALETTE_ROW)
      .filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }) })
      .first();
    try {
      await row.waitFor({ timeout: 10_000 });
    } catch {
      const offered = await this.page.locator(`${PALETTE_ROW} .label-name`).allInnerTexts();
      await this.page.keyboard.press('Escape');
      throw new Error(`no entry "${label}" in the quick pick (offered: ${offered.slice(0, 5).join(' | ') || 'nothing'})`);
    }
    const input = this.page.locator(PALETTE_INPUT);
    const typed = await input.inputValue();
    await row.click();
    // Done when the quick input closes, or shows a follow-up pick (a theme list, …) instead.
    await until(async () => !(await input.isVisible()) || (await input.inputValue()) !== typed, { what: `"${label}" to be accepted` });
  }

  // --- views

  /** Opens an activity-bar container by its title and expands the view in it. */
  async openView(containerTitle: string, viewTitle: string): Promise<Locator> {
    const icon = this.page.locator(`.activitybar .action-item a[aria-label^="${containerTitle}"]`).first();
    await icon.waitFor();
    const pane = this.pane(viewTitle);
    // Clicking an already-open container's icon would close the side bar again.
    if (!(await pane.isVisible())) {
      await icon.click();
    }
    await pane.waitFor();
    const header = pane.locator('.pane-header');
    if ((await header.getAttribute('aria-expanded')) === 'false') {
      await header.click();
    }
    return pane;
  }

  /** The side-bar pane whose header title is `viewTitle`. */
  pane(viewTitle: string): Locator {
    return this.page
      .locator('.part.sidebar .pane')
      .filter({ has: this.page.locator('.pane-header .title', { hasText: new RegExp(`^${escapeRegExp(viewTitle)}$`, 'i') }) })
      .first();
  }

  /** Labels of the rendered tree rows of a view (a virtualised tree renders only the visible rows).
   *  Read in one evaluation: rows are re-rendered on every refresh, a row-by-row read would race it. */
  async treeRows(viewTitle: string): Promise<string[]> {
    return this.pane(viewTitle)
      .locator('[role="treeitem"]')
      .evaluateAll((rows) => rows.map((r) => (r.querySelector('.label-name') ?? r).textContent?.trim() ?? ''));
  }

  /** Waits until a row labelled exactly `label` is rendered (or, with `present: false`, is gone). */
  async waitForRow(viewTitle: string, label: string, present = true, timeoutMs = 20_000): Promise<string[]> {
    return until(
      async () => {
        const rows = await this.treeRows(viewTitle);
        return rows.includes(label) === present ? rows : undefined;
      },
      { what: `row "${label}" ${present ? 'to appear' : 'to disappear'} in ${viewTitle}`, timeoutMs },
    );
  }

  // --- notifications, hovers, webviews

  /** Texts of the notification toasts currently shown. */
  async notifications(): Promise<string[]> {
    return this.page.locator('.notification-toast .notification-list-item-message').allInnerTexts();
  }

  /** The modal dialog shown now (`showWarningMessage(…, { modal: true })`, confirmations), if any. */
  async dialog(): Promise<{ text: string; buttons: string[] } | undefined> {
    const box = this.page.locator('.monaco-dialog-box');
    if (!(await box.isVisible())) {
      return undefined;
    }
    return {
      // Message and detail together: the web workbench puts a lone message in the detail element.
      text: (await box.locator('.dialog-message-container').innerText()).trim(),
      buttons: (await box.locator('.dialog-buttons .monaco-button').allInnerTexts()).map((b) => b.trim()),
    };
  }

  /** Clicks a button of the modal dialog by its label and waits for the dialog to close. */
  async answerDialog(button: string): Promise<void> {
    const box = this.page.locator('.monaco-dialog-box');
    await box.locator('.dialog-buttons .monaco-button', { hasText: new RegExp(`^${escapeRegExp(button)}$`) }).click();
    await box.waitFor({ state: 'hidden' });
  }

  /** Hovers over the first occurrence of `text` in the active editor and returns the hover's text.
   *  Re-hovers until a hover with content shows: language servers may still be starting. */
  async hover(text: string, timeoutMs = 45_000): Promise<string> {
    const token = this.page
      .locator('.editor-instance .monaco-editor .view-line span span', { hasText: new RegExp(`^${escapeRegExp(text)}$`) })
      .first();
    await token.waitFor();
    // An Escape in the editor before each try: in a freshly opened editor that nothing has typed in, a
    // pointer resting on a word showed no hover for minutes on a busy machine (the editor creates its
    // hover support on the first interaction or when the page is idle), and a key press that changes
    // nothing, after the first move, was what made it answer.
    const focused = this.page.locator('.editor-instance .monaco-editor.focused').first();
    // `:visible`: a row hover of a tree view (also a `.monaco-hover`) can stay in the DOM, not hidden by
    // class but not shown either, after an earlier test; `first()` would wait on it forever.
    const hover = this.page.locator('.monaco-hover:not(.hidden):visible').first();
    return until(
      async () => {
        await this.page.mouse.move(0, 0);
        if (await focused.isVisible()) {
          await this.page.keyboard.press('Escape');
        }
        await token.hover();
        await hover.waitFor({ timeout: 3000 }).catch(async (err: Error) => {
          // Say what the page shows instead: on a CI machine the message is all there is to go on.
          const seen = await this.page.evaluate(() =>
            Array.from(document.querySelectorAll('.monaco-hover')).map((h) => {
              const r = h.getBoundingClientRect();
              return `${h.className} ${Math.round(r.width)}x${Math.round(r.height)}`;
            }),
          );
          throw new Error(`${err.message.split('\n')[0]} (.monaco-hover elements: ${seen.join(', ') || 'none'})`);
        });
        const content = (await hover.innerText()).trim();
        return content && !/^Loading/.test(content) ? content : undefined;
      },
      { what: `a hover over "${text}"`, timeoutMs },
    );
  }

  /** The frame that contains `selector`. Webview content sits in an iframe inside an iframe, so search
   *  every frame of the page rather than walking a fixed path. */
  async frameWith(selector: string, timeoutMs = 20_000): Promise<Frame> {
    return until(
      async () => {
        for (const frame of this.page.frames()) {
          if ((await frame.locator(selector).count().catch(() => 0)) > 0) {
            return frame;
          }
        }
        return undefined;
      },
      { what: `a frame containing ${selector}`, timeoutMs },
    );
  }

  /** The first frame whose text contains `text` (a webview's content, a Markdown preview), the
   *  workbench's own frame left out: its tab titles can contain the same words. */
  async frameWithText(text: string, timeoutMs = 30_000): Promise<Frame> {
    return until(
      async () => {
        for (const frame of this.page.frames().filter((f) => f !== this.page.mainFrame())) {
          if (await frame.evaluate((t) => document.body?.innerText.includes(t) ?? false, text).catch(() => false)) {
            return frame;
          }
        }
        return undefined;
      },
      { what: `a frame showing "${text}"`, timeoutMs },
    );
  }

  // --- appearance

  /** Switches the colour theme with "Preferences: Color Theme" (which writes `workbench.colorTheme`
   *  to the user settings) and waits until the workbench shows it. */
  async setTheme(theme: ThemeName): Promise<void> {
    const { label, rootClass } = THEMES[theme];
    await this.runCommand('Preferences: Color Theme');
    await this.page.locator(PALETTE_INPUT).fill(label);
    await this.pick(label);
    await until(() => this.page.locator('.monaco-workbench').first().evaluate((el, c) => el.classList.contains(c), rootClass), { what: `theme "${theme}"` });
    // Let the new colours reach every part (and webviews) before a screenshot.
    await this.page.waitForTimeout(300);
  }

  /** Saves a full-window screenshot as <screenshotDir>/<prefix><name>.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    const safe = name.replace(/[^a-z0-9._-]+/gi, '-').replace(/^-+|-+$/g, '').toLowerCase();
    const file = path.join(this.options.screenshotDir, `${this.options.screenshotPrefix ?? ''}${safe}.png`);
    fs.mkdirSync(this.options.screenshotDir, { recursive: true });
    await this.page.screenshot({ path: file });
    return file;
  }
}
