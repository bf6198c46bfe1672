// The shared snapshot failing several times in a row, in the real extension host: the Ports view says so
// in its message area (no popup), keeps the last rows, the refresh manager backs off exponentially, and
// the view recovers by itself when scanning works again. Also: with every surface hidden, nothing scans.
// The failures come from the extension's fault-injection seam around the real back-end (see
// src/services/faultInjection.ts); everything after the back-end is the real code.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Settings, Views } from '../../src/constants';
import type { PortInspectorApi } from '../support/extensionApi';
import { activatedApi } from '../support/extensionApi';
import { until } from '../support/poll';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const setSetting = (key: string, value: unknown): Thenable<void> =>
  vscode.workspace.getConfiguration().update(key, value, vscode.ConfigurationTarget.Global);

describe('Scan failures and idle scanning (extension host)', function () {
  this.timeout(60_000);
  let api: PortInspectorApi;

  // The API keeps only the last 200 scan attempts: once the list is full its length stays at 200 and
  // positions shift, so a count or an index taken earlier means nothing later. The last entry seen is
  // a mark that stays valid (found again by identity; gone only when 200 newer attempts followed it).
  type Attempt = ReturnType<PortInspectorApi['test']['scanAttempts']>[number];
  const lastAttempt = (): Attempt | undefined => api.test.scanAttempts().at(-1);
  const attemptsAfter = (mark: Attempt | undefined): Attempt[] => {
    const all = api.test.scanAttempts();
    return all.slice(mark ? all.indexOf(mark) + 1 : 0);
  };

  before(async () => {
    api = await activatedApi();
    // The setting's minimum: the back-off steps are then 1 s, 2 s, 4 s, short enough for a test.
    await setSetting(Settings.refreshIntervalMs, 500);
    await setSetting(Settings.watchedPorts, undefined);
  });

  after(async () => {
    api.test.failNextScans(0, '');
    await setSetting(Settings.refreshIntervalMs, undefined);
  });

  it('does not scan at all while every surface is hidden', async () => {
    await vscode.commands.executeCommand('workbench.view.explorer');
    await until(() => !api.getViewState().visible, { what: 'the Ports view to be hidden' });
    await until(() => api.getRefreshNeeds().length === 0, { what: 'no surface to need live data' });
    await sleep(600); // a debounced request made just before hiding may still run
    const before = lastAttempt();
    await sleep(4000); // eight polling intervals at 500 ms
    assert.equal(attemptsAfter(before).length, 0, 'scans happened with every surface hidden');

    await vscode.commands.executeCommand(`${Views.ports}.focus`);
    await until(() => api.getViewState().visible, { what: 'the Ports view to be visible' });
    await until(() => attemptsAfter(before).length >= 2, { what: 'polling to start again' });
  });

  it('shows repeated failures in the view, backs off, keeps the last rows, and recovers by itself', async () => {
    await vscode.commands.executeCommand(`${Views.ports}.focus`);
    await until(() => api.getViewState().visible, { what: 'the Ports view to be visible' });
    await api.refresh();
    const rowsBefore = api.getTreeSnapshot().length;
    const good = api.getSnapshot();
    assert.ok(good);

    const message = 'Injected fault: /proc/net/tcp is unreadable <b>bold</b>';
    const first = lastAttempt();
    // The polling meets the failures by itself: no refresh is asked for (a direct refresh would run
    // outside the refresh manager's cadence and blur the back-off being measured).
    api.test.failNextScans(3, message);
    const shown = await until(() => api.getViewState().message, { what: 'the failure in the view message' });
    assert.match(shown, /^Cannot list ports: Injected fault: \/proc\/net\/tcp is unreadable/);
    assert.equal(api.getTreeSnapshot().length, rowsBefore, 'the last rows are kept while scans fail');
    assert.equal(api.getSnapshot(), good, 'a failed scan does not replace the snapshot');

    // Nothing else to do: the polling runs into the two remaining failures, then a good scan.
    await until(() => api.getViewState().message === undefined, { what: 'the view to recover by itself', timeoutMs: 30_000 });
    const attempts = attemptsAfter(first);
    const firstOk = attempts.findIndex((a) => a.ok);
    assert.deepEqual(
      attempts.slice(0, firstOk + 1).map((a) => a.ok),
      [false, false, false, true],
      'three failed scans, then one that worked',
    );
    const gaps = attempts.slice(1, firstOk + 1).map((a, i) => a.at - attempts[i].at);
    // After n failures in a row the next scan waits 500 ms × 2^n: 1 s, 2 s, 4 s (timers may run late).
    gaps.forEach((gap, i) => {
      const expected = 500 * 2 ** (i + 1);
      assert.ok(gap >= expected * 0.9 && gap < expected + 2000, `gap ${i + 1} was ${gap} ms, expected about ${expected} ms (${gaps.join(', ')})`);
    });
    const recovered = api.getSnapshot();
    assert.ok(recovered && recovered !== good && recovered.takenAt > good.takenAt, 'a new snapshot after recovery');
    // Back to the normal cadence: the next scans are about 500 ms apart again.
    const resumed = lastAttempt();
    await until(() => attemptsAfter(resumed).length >= 3, { what: 'the normal cadence again', timeoutMs: 5000 });
  });
});
