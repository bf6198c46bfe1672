// The dashboard's Activity section in the real workbench: real listeners opening and closing show up
// live with their pid, the scope and "unusual only" filters, a restarting port flagged as flapping,
// clicking an event selects its row and its port runs Troubleshoot, a hostile process title stays
// text, the section's state survives a window reload, and Clear asks first.
import * as assert from 'node:assert/strict';
import { closeAfterEachTest, startListener } from '../support/listeners';
import { until } from '../support/poll';
import type { RenderedActivity } from './dashboardPage';
import { DashboardPage } from './dashboardPage';
import { session } from './support/session';

/** A title whose first 15 bytes (what Linux keeps as the process name) are still markup: parsed as
 *  HTML, `<b>b</b>` would become an element. */
const HOSTILE = '<b>b</b><img src=x onerror=alert(1)>';

describe('Ports dashboard: Activity section', function () {
  this.timeout(120_000);
  closeAfterEachTest();

  /** The dashboard with the table unfiltered and the Activity section open, listing every port, after
   *  a scan (the recorder compares each scan with the one before: a listener started now is "opened"). */
  async function openActivity(): Promise<DashboardPage> {
    const page = await DashboardPage.open(session().workbench);
    await page.filter('');
    const toggle = page.frame.locator('#toggle-activity');
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') {
      await toggle.click();
    }
    await page.frame.locator('#activity-scope').selectOption('all');
    await page.frame.locator('#activity-unusual').uncheck();
    await until(async () => (await page.status()).includes('updated'), { what: 'a first scan' });
    return page;
  }

  /** Lists only the events the table filter `text` matches. Other programs on this machine (other
   *  test runs included) open and close ports all the time: a test looks at its own ports only. */
  async function narrow(page: DashboardPage, text: string): Promise<void> {
    await page.frame.locator('#activity-scope').selectOption('filter');
    await page.filter(text);
  }

  /** Events of `port` (held by `pid`, when given), newest first. Other processes on this machine may
   *  use the same port number on another address, so tests match the pid or the address too. */
  const of = (events: RenderedActivity[], port: number, pid?: number): RenderedActivity[] =>
    events.filter((e) => e.port === port && (pid === undefined ? e.endpoint.includes(`127.0.0.1:${port}`) : e.pid === `pid ${pid}`));

  afterEach(async () => {
    const { workbench } = session();
    if (await workbench.dialog()) {
      await workbench.answerDialog('Cancel');
    }
    await workbench.reset();
  });

  it('shows a real listener opening and closing, live, newest first, with its pid', async () => {
    const page = await openActivity();
    const before = (await page.figures()).activityMessages ?? 0;
    const listener = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
    const port = listener.ports[0];
    await narrow(page, String(listener.pid));
    const [opened] = await page.waitForActivity('the opened event', (events) => {
      const mine = of(events, port, listener.pid);
      return mine.length === 1 && mine[0].kind === 'opened' ? mine : undefined;
    });
    assert.equal(opened.pid, `pid ${listener.pid}`);
    assert.equal(opened.name, 'node');
    assert.equal(opened.protocol, 'TCP');
    assert.equal(opened.endpoint, `TCP127.0.0.1:${port}`);
    assert.deepEqual(opened.unusual, [], 'a loopback listener on a registered port is ordinary');
    assert.match(opened.time, /^\d\d:\d\d:\d\d/, 'local clock time');
    assert.match(opened.timeTitle, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \((just now|\d+ s ago)\)$/, 'absolute time in the tooltip');

    await listener.close();
    const events = await page.waitForActivity('the closed event above the opened one', (all) => {
      const mine = of(all, port, listener.pid);
      return mine.length === 2 && mine[0].kind === 'closed' ? mine : undefined;
    });
    assert.equal(events[0].pid, `pid ${listener.pid}`, 'who held it until it closed');
    assert.equal(events[1].id, opened.id);
    // Both arrived as `activity` messages while the dashboard was open, not with a re-sent page.
    assert.ok(((await page.figures()).activityMessages ?? 0) >= before + 2, 'live activity messages');
    assert.match((await page.frame.locator('#activity-count').innerText()).trim(), /^[\d,]+$/);
  });

  it('narrows to the selected port or the filtered ports; clicking selects the row; the port runs Troubleshoot', async () => {
    const { workbench } = session();
    const page = await openActivity();
    const a = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
    const b = await startListener({ sockets: [{ protocol: 'tcp', host: '::1' }] });
    const [portA, portB] = [a.ports[0], b.ports[0]];
    for (const l of [a, b]) {
      await narrow(page, String(l.pid));
      await page.waitForActivity(`the opening of ${l.ports[0]}`, (events) => (of(events, l.ports[0], l.pid).length === 1 ? true : undefined));
    }

    // "Selected port only": nothing until a row is selected, then that port's events.
    await page.frame.locator('#activity-scope').selectOption('selected');
    await until(async () => /Select a row/.test(await page.frame.locator('#activity-body').innerText()), { what: 'the selection hint' });
    await page.filter(`${portA}/tcp`);
    const rowA = await page.waitForRow('the row of A', (r) => r.port === portA && !r.closing);
    await page.row(rowA!.key).click();
    await page.waitForActivity("only A's events", (events) =>
      events.length > 0 && events.every((e) => e.port === portA) && of(events, portA, a.pid).length === 1 ? true : undefined,
    );

    // "Ports matching the filter": the table's filter text.
    await page.frame.locator('#activity-scope').selectOption('filter');
    await page.filter(String(portB));
    await page.waitForActivity("only B's events", (events) => (events.every((e) => e.port === portB) && of(events, portB, b.pid).length === 1 ? true : undefined));
    await page.filter(String(b.pid));
    await page.waitForActivity("B's events by its pid", (events) => (events.every((e) => e.pid === `pid ${b.pid}` || e.port === b.pid) && of(events, portB, b.pid).length === 1 ? true : undefined));

    // Clicking an event selects its row, even when the table's filters hide it (they make way for it).
    await page.filter(String(portA));
    await page.frame.locator('#q-protocol').selectOption('udp');
    await until(async () => !(await page.rows()).some((r) => r.port === portA), { what: 'A hidden from the table' });
    await page.frame.locator(`#activity .activity-item:has(.activity-port:text-is("${portA}")) .activity-reveal`).first().click();
    await page.waitForRow('the selected row of A', (r) => r.port === portA && r.active);
    assert.equal(await page.frame.locator('#filter').inputValue(), `${portA}/tcp`);
    assert.equal(await page.frame.locator('#q-protocol').inputValue(), 'any');
    assert.match(await page.frame.locator('#details h2').innerText(), new RegExp(`^${portA}/tcp on 127\\.0\\.0\\.1`));
    assert.equal(await page.frame.locator('.grid').evaluate((g) => g === document.activeElement), true, 'the table has the focus');

    // The port number runs Troubleshoot Port through the typed protocol: the report opens.
    await page.filter(String(portB));
    await page.frame.locator(`#activity .activity-port:text-is("${portB}")`).first().click();
    await workbench.page.locator('.tab[aria-label*="Preview"]').first().waitFor({ timeout: 30_000 });
    await workbench.frameWithText(`Troubleshooting port ${portB}`);
  });

  it('flags a port that keeps restarting as flapping, and "unusual only" keeps just that', async () => {
    const { workbench } = session();
    const page = await openActivity();
    let listener = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
    const port = listener.ports[0];
    const pids: number[] = [];
    await narrow(page, String(port));
    // Three restarts on the same port: six openings and closings within a minute. Each listener's own
    // events are awaited (by pid): other programs' changes of this port cannot make a round look done.
    for (let round = 1; round <= 3; round++) {
      if (round > 1) {
        listener = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1', port }] });
      }
      const pid = listener.pid;
      pids.push(pid);
      await page.waitForActivity(`opening ${round}`, (events) => (of(events, port, pid).some((e) => e.kind === 'opened') ? true : undefined));
      await listener.close();
      await page.waitForActivity(`closing ${round}`, (events) => (of(events, port, pid).some((e) => e.kind === 'closed') ? true : undefined));
    }
    const shown = await page.activity();
    const events = shown.filter((e) => e.port === port && pids.some((pid) => e.pid === `pid ${pid}`));
    assert.deepEqual(events.map((e) => e.kind), ['closed', 'opened', 'closed', 'opened', 'closed', 'opened']);
    assert.ok(events.every((e) => e.endpoint === `TCP127.0.0.1:${port}`), JSON.stringify(events.map((e) => e.endpoint)));

    // What flaps is the port and protocol, whoever holds it on whichever address: its opens and closes
    // within 10 minutes, those seen in the same scan counting once each. Normally only this test uses the
    // port, and the sixth change is the first that flaps, "6 times". But this machine is shared: another
    // program may open or close the same port number on another address (::1) meanwhile, or have done so
    // within the last 10 minutes, and its changes count too. So the count each event should carry is read
    // from what the log holds for the port (the section, narrowed to the port, lists all of it).
    const portLog = shown.filter((e) => e.port === port && e.protocol === 'TCP');
    const others = portLog.filter((e) => !events.includes(e));
    const changesUpTo = (at: number): number => new Set(portLog.filter((e) => e.at <= at && e.at >= at - 10 * 60_000).map((e) => `${e.kind} ${e.at}`)).size;
    const flapping = (e: RenderedActivity): string | undefined => e.unusual.find((u) => u.kind === 'flapping')?.reason.replace(/ within 10 minutes:.*$/, '');
    const expected = events.map((e) => (changesUpTo(e.at) >= 6 ? `Port ${port}/tcp opened and closed ${changesUpTo(e.at)} times` : undefined));
    const context = `other changes of port ${port}: ${JSON.stringify(others.map((e) => `${e.kind} ${e.endpoint} ${e.pid} ${new Date(e.at).toISOString()}`))}`;
    if (others.length === 0) {
      assert.deepEqual(expected, [`Port ${port}/tcp opened and closed 6 times`, undefined, undefined, undefined, undefined, undefined], 'the sixth change makes it flap');
    } else {
      console.log(`      (${context})`);
    }
    assert.deepEqual(events.map(flapping), expected, context);
    assert.deepEqual(events[0].unusual.map((u) => u.kind), ['flapping'], 'a loopback listener on a registered port is not unusual otherwise');
    assert.match(events[0].unusual[0].reason, new RegExp(`^Port ${port}/tcp opened and closed \\d+ times within 10 minutes: a server crashing and restarting`));
    await workbench.screenshot('dashboard-activity');

    await page.frame.locator('#activity-unusual').check();
    const flaggedIds = events.filter((_, i) => expected[i] !== undefined).map((e) => e.id);
    const unusual = await page.waitForActivity('the flapping events only', (all) => {
      const mine = all.filter((e) => e.port === port && pids.some((pid) => e.pid === `pid ${pid}`));
      return all.every((e) => e.unusual.length > 0) && mine.map((e) => e.id).join() === flaggedIds.join() ? mine : undefined;
    });
    assert.equal(unusual[0].id, events[0].id);
  });

  it(`renders a holder titled ${HOSTILE} as text`, async () => {
    const page = await openActivity();
    const listener = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }], title: HOSTILE });
    const port = listener.ports[0];
    await narrow(page, String(listener.pid));
    const [event] = await page.waitForActivity('the hostile listener', (events) => (of(events, port, listener.pid).length === 1 ? of(events, port, listener.pid) : undefined));
    assert.equal(event.name, HOSTILE.slice(0, 15), 'the process name, literally');
    assert.equal(event.pid, `pid ${listener.pid}`);
    // Nothing was parsed as markup: no element from the name anywhere in the section.
    assert.equal(await page.frame.locator('#activity b, #activity img').count(), 0);
    assert.equal(await page.frame.locator('img').count(), 0);
    const label = await page.frame.locator(`#activity .activity-item[data-id="${event.id}"] .activity-reveal`).getAttribute('aria-label');
    assert.ok(label?.includes(`by ${HOSTILE.slice(0, 15)} (pid ${listener.pid})`), label ?? '');
  });

  it('keeps its fold and filters when hidden and across a window reload', async () => {
    const { workbench } = session();
    let page = await openActivity();
    // An event of its own, so the test does not depend on what earlier tests recorded.
    const listener = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
    await page.waitForActivity('the listener opening', (events) => (of(events, listener.ports[0], listener.pid).length > 0 ? true : undefined));
    await page.frame.locator('#activity-scope').selectOption('filter');
    await page.frame.locator('#activity-unusual').check();
    await page.frame.locator('#toggle-activity').click();
    const expectState = async (p: DashboardPage, when: string): Promise<void> => {
      assert.equal(await p.frame.locator('#toggle-activity').getAttribute('aria-expanded'), 'false', `folded ${when}`);
      assert.equal(await p.frame.locator('#activity-body').isHidden(), true, `body hidden ${when}`);
      assert.equal(await p.frame.locator('#activity-scope').inputValue(), 'filter', `scope ${when}`);
      assert.equal(await p.frame.locator('#activity-unusual').isChecked(), true, `unusual only ${when}`);
    };
    page = await DashboardPage.checkKeepsState(workbench, page, expectState);
    // Unfolded again, the events are there: they come from the host, not from the saved state.
    await page.frame.locator('#toggle-activity').click();
    await page.frame.locator('#activity-unusual').uncheck();
    await page.frame.locator('#activity-scope').selectOption('all');
    await page.waitForActivity('events after the reload', (events) => (events.length > 0 ? true : undefined));
  });

  it('clears the log only after a confirmation', async () => {
    const { workbench } = session();
    const page = await openActivity();
    const listener = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
    const port = listener.ports[0];
    await narrow(page, String(listener.pid));
    await page.waitForActivity('an event to clear', (events) => (of(events, port, listener.pid).length > 0 ? true : undefined));
    const count = async (p: DashboardPage): Promise<number> => Number((await p.frame.locator('#activity-count').innerText()).replace(/\D/g, ''));
    const before = await count(page);

    await page.frame.locator('#clear-activity').click();
    const dialog = await until(() => workbench.dialog(), { what: 'the confirmation' });
    assert.match(dialog.text, /Clear the port activity log\?/);
    assert.ok(dialog.buttons.includes('Clear Activity'), JSON.stringify(dialog.buttons));
    await workbench.answerDialog('Cancel');
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(of(await page.activity(), port, listener.pid).length > 0, 'cancelled: the events are still there');

    const dash = await DashboardPage.find(workbench);
    await dash.frame.locator('#clear-activity').click();
    await until(() => workbench.dialog(), { what: 'the confirmation again' });
    await workbench.answerDialog('Clear Activity');
    await dash.waitForActivity('the events gone', (events) => (of(events, port, listener.pid).length === 0 ? true : undefined));
    // Other programs may have opened ports since: the count starts over, it need not stay at 0.
    const after = await count(dash);
    assert.ok(after < before, `the log was emptied (${before} events before, ${after} after)`);
    assert.match(await dash.frame.locator('#activity-body').innerText(), /No (port has opened or closed|activity matches)/);
    // Recording goes on: the next change is listed again.
    await listener.close();
    await dash.waitForActivity('the closing after the clear', (events) => {
      const mine = of(events, port, listener.pid);
      return mine.length === 1 && mine[0].kind === 'closed' ? true : undefined;
    });
  });
});
