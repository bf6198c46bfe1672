// The Ports view's options as a user meets them in the real workbench: grouping by process from the
// view title's "Group Ports By…", the filter shown in the view's description, a row's hover, and the
// status bar item with its port list; screenshots in the light and dark themes.
import * as assert from 'node:assert/strict';
import type { ListenerProcess } from '../support/listeners';
import { closeAfterEachTest, startListener } from '../support/listeners';
import { until } from '../support/poll';
import { session } from './support/session';

const CONTAINER = 'Port Inspector';
const VIEW = 'Ports';
const QUICK_INPUT = '.quick-input-widget .quick-input-box input';

describe('Ports view options', () => {
  closeAfterEachTest();
  let listener: ListenerProcess;
  let tcp: number;

  before(async () => {
    listener = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }, { protocol: 'udp', host: '::1' }] });
    tcp = listener.ports[0];
    const { workbench } = session();
    await workbench.reset();
    await workbench.openView(CONTAINER, VIEW);
    await workbench.runCommand('Port Inspector: Refresh');
    await workbench.waitForRow(VIEW, `${tcp}/tcp`);
  });

  after(async () => {
    const { workbench } = session();
    await workbench.page.keyboard.press('Escape');
    await workbench.runCommand('Port Inspector: Clear Filter').catch(() => undefined);
    await chooseGrouping('Flat List').catch(() => undefined);
  });

  /** Runs "Group Ports By…" and accepts `label` in its quick pick. */
  async function chooseGrouping(label: string): Promise<void> {
    const { workbench } = session();
    await workbench.runCommand('Port Inspector: Group Ports By…');
    const input = workbench.page.locator(QUICK_INPUT);
    await input.fill(label);
    await workbench.page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().waitFor();
    await workbench.page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden' });
  }

  /** The description text next to the row labelled `label`. */
  async function rowDescription(label: string): Promise<string> {
    const { workbench } = session();
    const row = workbench
      .pane(VIEW)
      .locator('[role="treeitem"]')
      .filter({ has: workbench.page.locator('.label-name', { hasText: new RegExp(`^${label.replace(/[/]/g, '\\/')}$`) }) })
      .first();
    return (await row.locator('.label-description').innerText()).trim();
  }

  it('groups ports under their process, in the light and dark themes', async () => {
    const { workbench } = session();
    await chooseGrouping('By Process');
    // Under a process the row says where it listens; the group row carries the pid.
    await until(async () => (await rowDescription(`${tcp}/tcp`)).startsWith(`127.0.0.1:${tcp}`), { what: 'the row under its process' });
    const groups = await workbench.pane(VIEW).locator('[role="treeitem"][aria-expanded]').allInnerTexts();
    assert.ok(groups.some((g) => g.includes(`pid ${listener.pid}`) && g.includes('2 ports')), groups.join(' | '));
    await workbench.setTheme('Default Light Modern');
    await workbench.screenshot('ports-view-by-process-light');
    await workbench.setTheme('Default Dark Modern');
    await workbench.screenshot('ports-view-by-process-dark');
    await chooseGrouping('Flat List');
    await until(async () => (await rowDescription(`${tcp}/tcp`)).startsWith(`listenerChild.js (node) ${listener.pid}`), { what: 'the flat row' });
  });

  it('filters from the view title and shows the filter in the view description', async () => {
    const { workbench } = session();
    await workbench.runCommand('Port Inspector: Filter Ports…');
    await workbench.page.locator(QUICK_INPUT).fill(String(tcp));
    await workbench.page.keyboard.press('Enter');
    const rows = await until(async () => {
      const r = await workbench.treeRows(VIEW);
      return r.length > 0 && r.every((l) => l === `${tcp}/tcp`) ? r : undefined;
    }, { what: 'only the filtered port' });
    assert.deepEqual(rows, [`${tcp}/tcp`]);
    const description = await workbench.pane(VIEW).locator('.pane-header .description').innerText();
    assert.equal(description.trim(), `Filter: ${tcp}`);
    await workbench.screenshot('ports-view-filtered');
    await workbench.runCommand('Port Inspector: Clear Filter');
    await until(async () => (await workbench.treeRows(VIEW)).length > 1, { what: 'all rows back' });
  });

  it('shows owner, command line and exposure in a row hover', async () => {
    const { workbench } = session();
    const label = workbench.pane(VIEW).locator('[role="treeitem"] .label-name', { hasText: new RegExp(`^${tcp}/tcp$`) }).first();
    const hover = workbench.page.locator('.monaco-hover:not(.hidden):visible').first();
    const text = await until(async () => {
      await workbench.page.mouse.move(0, 0);
      await label.hover();
      await hover.waitFor({ timeout: 3000 });
      const t = await hover.innerText();
      return t.includes('Loopback only') ? t : undefined;
    }, { what: 'the row hover' });
    assert.match(text, new RegExp(`pid ${listener.pid}`));
    assert.match(text, /listenerChild\.js/);
    await workbench.screenshot('ports-view-hover');
    await workbench.page.mouse.move(0, 0);
  });

  it('counts ports in the status bar and lists them on click', async () => {
    const { workbench } = session();
    const item = workbench.page.locator('.statusbar-item', { has: workbench.page.locator('.codicon-server-process') }).first();
    // The text, not the number: a count of 0 is a count too.
    const count = Number(
      await until(async () => {
        const t = (await item.innerText()).trim();
        return /^\d+$/.test(t) && t;
      }, { what: 'the status bar count' }),
    );
    assert.ok(count >= 2, `count ${count}`);
    await item.click();
    const input = workbench.page.locator(QUICK_INPUT);
    await input.waitFor();
    await input.fill(String(tcp));
    await workbench.page.locator('.quick-input-list .monaco-list-row', { hasText: `${tcp}/tcp` }).first().waitFor();
    await workbench.screenshot('ports-status-bar-pick');
    await workbench.page.keyboard.press('Escape');
    await input.waitFor({ state: 'hidden' });
  });
});
