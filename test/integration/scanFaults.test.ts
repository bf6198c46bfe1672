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

type Api = PortInspectorApi;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** The newest scan attempt (the seam records one at every scan, from activation on). */
const lastAttempt = (api: Api): { seq: number; at: number; ok: boolean } => api.test.scanAttempts().at(-1) ?? { seq: 0, at: 0, ok: true };
const setSetting = (key: string, value: unknown): Thenable<void> =>
  vscode.workspace.getConfiguration().update(key, value, vscode.ConfigurationTarget.Global);

describe('Scan failures and idle scanning (extension host)', function () {
  this.timeout(180_000);
  let api: Api;

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
    // An editor that shows a file binding ports is a surface too (its diagnostics ask for fresh data now
    // and then): close them, then hide the Ports view.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.view.explorer');
    await until(() => !api.getViewState().visible, { what: 'the Ports view to be hidden' });
    await until(() => api.getRefreshNeeds().length === 0, { what: 'no surface to need live data' });
    // A debounced request made just before hiding may still run (250 ms, later on a busy machine): wait
    // for a quiet spell longer than that. Polling that goes on never gets one, and fails here too.
    await until(() => Date.now() - lastAttempt(api).at > 3000, { what: 'scanning to stop' });
    const before = lastAttempt(api).seq;
    await sleep(4000); // eight polling intervals at 500 ms
    assert.equal(lastAttempt(api).seq, before, 'scans happened with every surface hidden');

    await vscode.commands.executeCommand(`${Views.ports}.focus`);
    await until(() => api.getViewState().visible, { what: 'the Ports view to be visible' });
    await until(() => lastAttempt(api).seq >= before + 2, { what: 'polling to start again' });
  });

  it('shows repeated failures in the view, backs off, keeps the last rows, and recovers by itself', async () => {
    await vscode.commands.executeCommand(`${Views.ports}.focus`);
    await until(() => api.getViewState().visible, { what: 'the Ports view to be visible' });
    await api.refresh();
    const good = api.getSnapshot();
    assert.ok(good);

    const message = 'Injected fault: /proc/net/tcp is unreadable <b>bold</b>';
    const first = lastAttempt(api).seq;
    // The polling meets the failures by itself: no refresh is asked for (a direct refresh would run
    // outside the refresh manager's cadence and blur the back-off being measured).
    api.test.failNextScans(3, message);
    const shown = await until(() => api.getViewState().message, { what: 'the failure in the view message' });
    assert.match(shown, /^Cannot list ports: Injected fault: \/proc\/net\/tcp is unreadable/);
    // What the view holds at the first failure (a scan already running when the fault was injected may
    // have replaced `good` meanwhile: it was not one of the failing ones) must survive the other two.
    const held = api.getSnapshot();
    const rowsHeld = api.getTreeSnapshot().length;
    assert.ok(held && held.takenAt >= good.takenAt, 'the view keeps a snapshot while scans fail');

    // Nothing else to do: the polling runs into the two remaining failures, then a good scan. After n
    // failures in a row the refresh manager waits 500 ms × 2^n: 1 s, 2 s, 4 s. That delay is read when the
    // n-th failure is the newest attempt: this test runs in the extension host's own event loop, so it
    // sees the attempt and the back-off of the same moment, however late a busy machine runs timers.
    const planned: number[] = [];
    for (let n = 1; n <= 3; n++) {
      await until(() => lastAttempt(api).seq >= first + n, { what: `failed scan ${n} of 3`, timeoutMs: 30_000 });
      const newest = lastAttempt(api);
      assert.equal(newest.seq, first + n, `failed scan ${n} was the newest attempt when the test looked`);
      assert.equal(newest.ok, false, `scan ${n} after the fault was injected failed`);
      planned.push(api.test.nextDelayMs());
      assert.equal(api.getSnapshot(), held, `failed scan ${n} did not replace the snapshot`);
      assert.equal(api.getTreeSnapshot().length, rowsHeld, `the last rows are kept through failed scan ${n}`);
    }
    assert.deepEqual(planned, [1000, 2000, 4000], 'the back-off after 1, 2 and 3 failures in a row');
    await until(() => api.getViewState().message === undefined, { what: 'the view to recover by itself', timeoutMs: 30_000 });
    const attempts = api.test.scanAttempts().filter((a) => a.seq > first);
    assert.deepEqual(
      attempts.slice(0, 4).map((a) => a.ok),
      [false, false, false, true],
      'three failed scans, then one that worked',
    );
    // The scans really waited that long (timers never fire early; on a busy machine they fire late).
    const gaps = attempts.slice(1, 4).map((a, i) => a.at - attempts[i].at);
    gaps.forEach((gap, i) => {
      assert.ok(gap >= planned[i] * 0.9, `gap ${i + 1} was ${gap} ms, shorter than the ${planned[i]} ms back-off (${gaps.join(', ')})`);
    });
    const recovered = api.getSnapshot();
    assert.ok(recovered && recovered !== good && recovered.takenAt > good.takenAt, 'a new snapshot after recovery');
    // Back to the normal cadence: no back-off left in the delay, which is the setting's 500 ms, or 20× the
    // last scan's duration when scans are slow (a busy machine); and the polling goes on by itself.
    const normal = Math.min(60_000, Math.max(api.test.refreshIntervalMs(), 20 * recovered.durationMs));
    assert.equal(api.test.nextDelayMs(), normal, `the delay after recovery (the last scan took ${recovered.durationMs.toFixed(1)} ms)`);
    const resumed = lastAttempt(api).seq;
    // Scans never overlap: once the fourth has started, the three before it have finished.
    await until(() => lastAttempt(api).seq >= resumed + 4, { what: 'the polling to go on (three more scans)', timeoutMs: 60_000 });
    assert.deepEqual(
      api.test.scanAttempts().filter((a) => a.seq > resumed && a.seq <= resumed + 3).map((a) => a.ok),
      [true, true, true],
      'the scans after recovery work',
    );
  });
});
