// "Address already in use" at the moment it happens, as a user meets it in the real workbench: a command
// typed into an integrated terminal fails because a test listener holds its port, the toast names the
// holder and offers Free Port and Rerun; clicking it, then "Stop Process" in the real confirmation dialog,
// stops the holder and runs the same command again, whose own server then listens (checked with ss).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { addCleanup, closeAfterEachTest, startListener } from '../support/listeners';
import { until } from '../support/poll';
import { ssListening } from '../support/ss';
import { session } from './support/session';

const FREE_AND_RERUN = 'Free Port and Rerun';

describe('Port conflict in a terminal', () => {
  closeAfterEachTest();

  it('names the holder in a toast; Free Port and Rerun stops it after the confirmation and runs the command again', async function () {
    this.timeout(180_000);
    const { workbench } = session();
    const { page } = workbench;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pi-ui-conflict-'));
    addCleanup(() => fs.rmSync(dir, { recursive: true, force: true }));
    // A dev server that fails with Node's own EADDRINUSE error when its port is taken.
    fs.writeFileSync(path.join(dir, 'dev.js'), "require('net').createServer((c) => c.end()).listen(Number(process.argv[2]), '127.0.0.1');\n");
    const holder = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
    const port = holder.ports[0];
    const rerun: { pid?: number } = {};
    addCleanup(() => {
      if (rerun.pid !== undefined) {
        try {
          process.kill(rerun.pid, 'SIGKILL');
        } catch {
          // Gone already.
        }
      }
    });

    await workbench.reset();
    await workbench.runCommand('Terminal: Create New Terminal');
    const terminal = page.locator('.terminal-wrapper.active .xterm');
    await terminal.waitFor();
    await terminal.click();
    // Typed before the prompt shows is fine: the shell reads it after its start-up files, by which time
    // VS Code's shell integration (which reports the command's end and exit code) is in place.
    // Short enough not to wrap in the terminal (a wrapped command line is reported with a space lost).
    await page.keyboard.type(`cd ${dir}`);
    await page.keyboard.press('Enter');
    await page.keyboard.type(`node dev.js ${port}`);
    await page.keyboard.press('Enter');

    const toast = page.locator('.notification-toast', { hasText: `port ${port} was already in use` }).first();
    await toast.waitFor({ timeout: 90_000 });
    const text = await toast.locator('.notification-list-item-message').innerText();
    assert.match(text, new RegExp(`^"node dev\\.js ${port}" in terminal "[^"]+" failed: port ${port} was already in use\\. Port ${port} is held by .*pid ${holder.pid}`), text);
    const buttons = (await toast.locator('.notification-list-item-buttons-container .monaco-button').allInnerTexts()).map((b) => b.trim());
    assert.equal(buttons[0], FREE_AND_RERUN, JSON.stringify(buttons));
    await workbench.screenshot('port-conflict-terminal');

    await toast.locator('.monaco-button', { hasText: FREE_AND_RERUN }).click();
    const dialog = await until(() => workbench.dialog(), { what: 'the Free Port confirmation' });
    assert.match(dialog.text, new RegExp(`pid ${holder.pid}`));
    await workbench.answerDialog('Stop Process');

    await until(() => holder.child.signalCode, { what: 'the holder to be stopped' });
    assert.equal(holder.child.signalCode, 'SIGTERM');
    // The same command ran again in the terminal, and its own server holds the port now.
    rerun.pid = await until(
      () => ssListening().filter((s) => s.protocol === 'tcp' && s.port === port).flatMap((s) => s.pids).find((pid) => pid !== holder.pid),
      { what: `the rerun server on ${port} (ss)`, timeoutMs: 60_000 },
    );
    await workbench.runCommand('Terminal: Kill All Terminals');
  });
});
