// The Ports view with 5,000 listeners, in the real workbench: rows arrive after a refresh, the tree
// renders only what is in view, End reaches the last row, the filter narrows to one port and back, and
// grouping by process works. Prints the figures (times are not asserted: they depend on the machine).
import * as assert from 'node:assert/strict';
import type { ListenerProcess } from '../support/listeners';
import { closeAfterEachTest, startListener } from '../support/listeners';
import { until } from '../support/poll';
import { session } from './support/session';

const CONTAINER = 'Port Inspector';
const VIEW = 'Ports';
const QUICK_INPUT = '.quick-input-widget .quick-input-box input';

describe('Ports view with 5,000 listeners', function () {
  this.timeout(240_000);
  closeAfterEachTest();
  const fleet: ListenerProcess[] = [];

  after(async () => {
    const { workbench } = session();
    await workbench.runCommand('Port Inspector: Clear Filter').catch(() => undefined);
    await workbench.runCommand('Port Inspector: Refresh').catch(() => undefined);
  });

  /** The tree's rendered rows as the list widget reports them: each row knows its position and the
   *  number of its siblings (aria-posinset / aria-setsize), so the total is known without scrolling. */
  async function rendered(): Promise<Array<{ label: string; pos: number; size: number; level: number }>> {
    const { workbench } = session();
    return workbench
      .pane(VIEW)
      .locator('[role="treeitem"]')
      .evaluateAll((rows) =>
        rows.map((r) => ({
          label: (r.querySelector('.label-name') ?? r).textContent?.trim() ?? '',
          pos: Number(r.getAttribute('aria-posinset')),
          size: Number(r.getAttribute('aria-setsize')),
          level: Number(r.getAttribute('aria-level')),
        })),
      );
  }

  it('stays usable: refresh, scroll to the end, filter, group (figures printed)', async () => {
    const { workbench } = session();
    await workbench.reset();
    await workbench.openView(CONTAINER, VIEW);
    const before = Math.max(...(await rendered()).map((r) => r.size), 0);

    const setup = performance.now();
    for (let p = 0; p < 5; p++) {
      const sockets = Array.from({ length: 1000 }, (_, i) => ({ protocol: i % 10 === 9 ? ('udp' as const) : ('tcp' as const), host: i % 2 ? '::1' : '127.0.0.1' }));
      fleet.push(await startListener({ sockets }));
    }
    const setupS = ((performance.now() - setup) / 1000).toFixed(1);
    const total = before + 5000;

    // Refresh (the polling may pick some of them up first): time until the tree holds all of them.
    const t0 = performance.now();
    await workbench.runCommand('Port Inspector: Refresh');
    const rows = await until(async () => {
      const r = await rendered();
      return r.some((x) => x.level === 1 && x.size >= total - 50) ? r : undefined;
    }, { what: '5,000 more rows', timeoutMs: 60_000 });
    const refreshShownMs = performance.now() - t0;
    const size = Math.max(...rows.map((r) => r.size));
    assert.ok(size >= 5000, `the tree has ${size} rows`);
    const domRows = rows.length;

    // Keyboard: focus the first row, End jumps to the last one, which the tree renders.
    await workbench.pane(VIEW).locator('[role="treeitem"]').first().click();
    const t1 = performance.now();
    await workbench.page.keyboard.press('End');
    await until(async () => (await rendered()).some((r) => r.pos === r.size && r.size >= 5000), { what: 'the last row rendered' });
    const endMs = performance.now() - t1;
    const domRowsAtEnd = (await rendered()).length;
    assert.ok(domRows < 200 && domRowsAtEnd < 200, `the tree renders only the rows in view (${domRows}, ${domRowsAtEnd})`);

    // Filter to one port of the fleet, and back.
    const port = fleet[4].ports[500];
    const label = `${port}/tcp`;
    const t2 = performance.now();
    await workbench.runCommand('Port Inspector: Filter Ports…');
    await workbench.page.locator(QUICK_INPUT).fill(String(port));
    await workbench.page.keyboard.press('Enter');
    await until(async () => {
      const r = await rendered();
      // The same number may be bound by another process on the other loopback address: same label.
      return r.length > 0 && r.every((x) => x.label === label) ? true : undefined;
    }, { what: 'only the filtered port' });
    const filterMs = performance.now() - t2;
    const t3 = performance.now();
    await workbench.runCommand('Port Inspector: Clear Filter');
    await until(async () => (await rendered()).some((r) => r.size >= 5000), { what: 'every row back' });
    const clearMs = performance.now() - t3;

    // Group by process: the fleet's processes are groups of 1,000 rows each.
    const t4 = performance.now();
    await workbench.runCommand('Port Inspector: Group Ports By…');
    await workbench.page.locator(QUICK_INPUT).fill('By Process');
    await workbench.page.locator('.quick-input-list .monaco-list-row', { hasText: 'By Process' }).first().waitFor();
    await workbench.page.keyboard.press('Enter');
    const group = await until(async () => {
      const r = await rendered();
      return r.find((x) => x.level === 2 && x.size === 1000);
    }, { what: 'a 1,000-port process group' });
    const groupMs = performance.now() - t4;
    assert.ok(group);
    await workbench.screenshot('ports-view-5000-rows');
    await workbench.runCommand('Port Inspector: Group Ports By…');
    await workbench.page.locator(QUICK_INPUT).fill('Flat List');
    await workbench.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Flat List' }).first().waitFor();
    await workbench.page.keyboard.press('Enter');

    console.log(
      `      5,000-listener Ports view (${size.toLocaleString()} rows; listeners up in ${setupS} s):\n` +
        `        Refresh command → rows shown: ${refreshShownMs.toFixed(0)} ms (palette included)\n` +
        `        End key → last row rendered: ${endMs.toFixed(0)} ms; DOM rows: ${domRows} at the top, ${domRowsAtEnd} at the end\n` +
        `        filter to one port: ${filterMs.toFixed(0)} ms, clear: ${clearMs.toFixed(0)} ms (palette and input box included)\n` +
        `        group by process (1,000-row groups): ${groupMs.toFixed(0)} ms`,
    );
  });
});
