// The quick actions as a user meets them in the real workbench: "Free Port…" from a row's inline button,
// answered by clicking the real modal dialog's button, then the notification; "Find a Free Port…" and
// "Test Connection to Host:Port…" typed into the palette's input box, with its validation message.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { closeAfterEachTest, listen, startListener } from '../support/listeners';
import { until } from '../support/poll';
import { session } from './support/session';

const CONTAINER = 'Port Inspector';
const VIEW = 'Ports';
const QUICK_INPUT = '.quick-input-widget .quick-input-box input';

/** Waits for a notification toast whose text matches, and returns it. */
async function notification(match: RegExp): Promise<string> {
  const { workbench } = session();
  return until(async () => (await workbench.notifications()).find((n) => match.test(n)), { what: `a notification matching ${match}` });
}

describe('Quick actions', () => {
  closeAfterEachTest();

  it('frees a port from its row after the user clicks "Stop Process" in the confirmation', async () => {
    const { workbench } = session();
    const { page } = workbench;
    const listener = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
    const port = listener.ports[0];
    const label = `${port}/tcp`;
    await workbench.reset();
    await workbench.openView(CONTAINER, VIEW);
    await workbench.runCommand('Port Inspector: Refresh');
    await workbench.waitForRow(VIEW, label);

    const row = workbench
      .pane(VIEW)
      .locator('[role="treeitem"]')
      .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) })
      .first();
    // The row's inline "Free Port…" button (shown on hover), as a user clicks it.
    await row.hover();
    await row.locator('.actions .action-label[aria-label="Free Port…"]').click();

    const dialog = await until(() => workbench.dialog(), { what: 'the confirmation dialog' });
    assert.match(dialog.text, new RegExp(`Stop listenerChild\\.js \\(node\\) ${listener.pid} to free ${port}/tcp\\?`));
    assert.ok(dialog.text.includes('listenerChild.js'), `the command line is shown: ${dialog.text}`);
    assert.ok(dialog.text.includes('Not started from an integrated terminal'), dialog.text);
    // The workbench orders a dialog's buttons for the platform (the primary one last on Linux).
    assert.deepEqual([...dialog.buttons].sort(), ['Cancel', 'Stop Process', 'Stop Process Tree']);
    await workbench.screenshot('free-port-confirmation');
    await workbench.answerDialog('Stop Process');

    const done = await notification(new RegExp(`^Port ${port} is now free \\(\\d+\\.\\d s\\)\\.$`));
    assert.ok(done);
    const child = listener.child;
    await until(() => child.exitCode !== null || child.signalCode !== null, { what: 'the listener to exit' });
    assert.equal(child.signalCode, 'SIGTERM');
    await workbench.waitForRow(VIEW, label, false);
  });

  it('finds a free port near a busy one from the palette and says it is on the clipboard', async () => {
    const { workbench } = session();
    const listener = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
    const busy = listener.ports[0];
    await workbench.reset();
    await workbench.runCommand('Port Inspector: Find a Free Port…');
    const input = workbench.page.locator(QUICK_INPUT);
    await input.fill(String(busy));
    await workbench.page.keyboard.press('Enter');
    const text = await notification(/nearest free port is \d+, copied to the clipboard/);
    assert.match(text, new RegExp(`^TCP ${busy} is in use by listenerChild\\.js \\(node\\) ${listener.pid}; the nearest free port is \\d+`));
    const found = Number(/nearest free port is (\d+)/.exec(text)![1]);
    assert.notEqual(found, busy);
  });

  it('tests a typed host:port from the palette, refusing invalid input as it is typed', async () => {
    const { workbench } = session();
    const { port } = await listen({ protocol: 'tcp', host: '127.0.0.1' }, { server: net.createServer((s) => s.end()) });
    await workbench.reset();
    await workbench.runCommand('Port Inspector: Test Connection to Host:Port…');
    const input = workbench.page.locator(QUICK_INPUT);
    await input.fill('bad host:80');
    const message = workbench.page.locator('.quick-input-widget .quick-input-message');
    await until(async () => (await message.innerText()).includes('contains a space'), { what: 'the validation message' });
    await input.fill('localhost:70000');
    await until(async () => (await message.innerText()).includes('ports are whole numbers from 1 to 65535'), { what: 'the port message' });
    await input.fill(`127.0.0.1:${port}`);
    await workbench.page.keyboard.press('Enter');
    await notification(new RegExp(`^TCP 127\\.0\\.0\\.1:${port} is open`));
  });

  it("shows a server's link-shaped banner as inert text: no link in the toast, clicking it runs nothing", async () => {
    const { workbench } = session();
    // An SMTP-style greeting carrying a Markdown command link with a title, as a hostile server would.
    const banner = '220 [Docs](command:workbench.action.files.newUntitledFile "https://example.com/docs") ready';
    const { port } = await listen({ protocol: 'tcp', host: '127.0.0.1' }, { server: net.createServer((s) => s.end(`${banner}\r\n`)) });
    await workbench.reset();
    const untitledTabs = workbench.page.locator('.tabs-container .tab', { hasText: /^Untitled/ });
    const tabsBefore = await untitledTabs.count();
    await workbench.runCommand('Port Inspector: Test Connection to Host:Port…');
    await workbench.page.locator(QUICK_INPUT).fill(`127.0.0.1:${port}`);
    await workbench.page.keyboard.press('Enter');
    const text = await notification(new RegExp(`127\\.0\\.0\\.1:${port}.*ready`));
    const toast = workbench.page.locator('.notification-toast .notification-list-item-message', { hasText: `127.0.0.1:${port}` }).first();
    // VS Code renders a message's links as <a> elements: none may come from the server's words.
    assert.equal(await toast.locator('a').count(), 0, `links in the toast: ${await toast.innerHTML()}`);
    assert.match(text, /\[Docs\] \(command:workbench\.action\.files\.newUntitledFile/, 'the words are shown as they came');
    await toast.getByText('Docs', { exact: false }).first().click();
    // A link's command would run on this click; nothing may have opened.
    assert.equal(await untitledTabs.count(), tabsBefore, 'no untitled editor was opened');
    assert.equal(await workbench.page.locator('.notification-toast a[href^="command:"], .notifications-center a[href^="command:"]').count(), 0);
  });
});
