// Proves the UI helpers work against VS Code's own features, so that a failing Port Inspector UI test
// points at the extension, not at a stale selector. Uses the fixture workspace (test/fixtures/workspace).
import * as assert from 'node:assert/strict';
import { until } from '../support/poll';
import { session } from './support/session';

describe('workbench helpers', () => {
  afterEach(async () => {
    await session().workbench.reset();
  });

  it('reads an editor hover (CSS language features on styles.css)', async () => {
    // CSS rather than TypeScript: its language server answers from data it ships with, where the
    // TypeScript server first loads a project, whose time on an unknown machine is not this test's subject.
    const { workbench } = session();
    await workbench.openFile('styles.css');
    const text = await workbench.hover('color');
    assert.match(text, /color of an element's text/, text);
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
    const messages = await until(async () => {
      const shown = await workbench.notifications();
      return shown.some((m) => /not part of a JavaScript project/.test(m)) ? shown : undefined;
    }, { what: 'the "not part of a JavaScript project" notification' });
    assert.ok(messages.length > 0);
    await workbench.runCommand('Notifications: Clear All Notifications');
    await until(async () => (await workbench.notifications()).length === 0, { what: 'notifications to clear' });
  });

  it('reads and answers a modal dialog (formatting a file no formatter handles)', async () => {
    const { workbench } = session();
    await workbench.openFile('README.md');
    await workbench.runCommand('Format Document');
    const dialog = await until(() => workbench.dialog(), { what: 'a dialog' });
    assert.match(dialog.text, /no formatter for 'markdown' files/);
    assert.ok(dialog.buttons.includes('Cancel'), `buttons: ${JSON.stringify(dialog.buttons)}`);
    await workbench.answerDialog('Cancel');
    assert.equal(await workbench.dialog(), undefined);
  });
});
