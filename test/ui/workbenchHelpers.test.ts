// Proves the UI helpers work against VS Code's own features, so that a failing Port Inspector UI test
// points at the extension, not at a stale selector. Uses the fixture workspace (test/fixtures/workspace).
import * as assert from 'node:assert/strict';
import { session } from './support/session';
import { waitFor } from './support/workbench';

describe('workbench helpers', () => {
  afterEach(async () => {
    await session().workbench.reset();
  });

  it('reads an editor hover (TypeScript language features on server.js)', async () => {
    const { workbench } = session();
    await workbench.openFile('server.js');
    const text = await workbench.hover('webServer');
    assert.match(text, /webServer/);
  });

  it('finds content inside a webview (the Markdown preview of README.md)', async () => {
    const { workbench } = session();
    await workbench.openFile('README.md');
    await workbench.runCommand('Markdown: Open Preview');
    const frame = await workbench.frameWith('h1');
    assert.equal((await frame.locator('h1').first().innerText()).trim(), 'Fixture workspace');
  });

  it('reads notifications (a JavaScript file outside any jsconfig project)', async () => {
    const { workbench } = session();
    await workbench.openFile('server.js');
    await workbench.runCommand('JavaScript: Go to Project Configuration (jsconfig / tsconfig)');
    const messages = await waitFor('the "not part of a JavaScript project" notification', async () => {
      const shown = await workbench.notifications();
      return shown.some((m) => /not part of a JavaScript project/.test(m)) ? shown : undefined;
    });
    assert.ok(messages.length > 0);
    await workbench.runCommand('Notifications: Clear All Notifications');
    await waitFor('notifications to clear', async () => ((await workbench.notifications()).length === 0 ? true : undefined));
  });

  it('reads and answers a modal dialog (formatting a file no formatter handles)', async () => {
    const { workbench } = session();
    await workbench.openFile('README.md');
    await workbench.runCommand('Format Document');
    const dialog = await waitFor('a dialog', () => workbench.dialog());
    assert.match(dialog.text, /no formatter for 'markdown' files/);
    assert.ok(dialog.buttons.includes('Cancel'), `buttons: ${JSON.stringify(dialog.buttons)}`);
    await workbench.answerDialog('Cancel');
    assert.equal(await workbench.dialog(), undefined);
  });
});
