// A container's port as a user meets it in the real browser workbench: the Ports view names the container
// and its compose service, and Free Port's real dialog offers Stop Container, which the engine carries out.
// The workbench's extension host looks for Docker where a user's would (no DOCKER_HOST here: the default
// socket), so a private dockerd — started with its networking off, touching nothing on the host — is
// reached through a symbolic link at /var/run/docker.sock for the length of the test. Skipped where the
// machine has a Docker socket of its own there (it is not ours to shadow) or no dockerd.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { EngineSandbox, missingTool } from '../support/containerEngines';
import { unusedTcpPort } from '../support/listeners';
import { until } from '../support/poll';
import { session } from './support/session';

const DEFAULT_SOCKET = '/var/run/docker.sock';
const VIEW = 'Ports';

describe('Containers in the workbench (real dockerd)', function () {
  this.timeout(240_000);
  let sandbox: EngineSandbox | undefined;
  let linked = false;
  let port = 0;
  let id = '';

  before(async function () {
    const missing = missingTool(['dockerd', 'docker']);
    if (missing || fs.existsSync(DEFAULT_SOCKET) || fs.lstatSync(DEFAULT_SOCKET, { throwIfNoEntry: false })) {
      console.log(`      (skipped: ${missing ?? `${DEFAULT_SOCKET} exists on this machine`})`);
      this.skip();
    }
    sandbox = new EngineSandbox('ui', true);
    await sandbox.startDocker(EngineSandbox.hostNetworkFlags);
    fs.symlinkSync(sandbox.dockerSock, DEFAULT_SOCKET);
    linked = true;
    port = await unusedTcpPort();
    id = sandbox.docker('run', '-d', '--init', '--name', 'shop-web-1', '--label', 'com.docker.compose.project=shop', '--label', 'com.docker.compose.service=web', '--network=host', 'pi-busybox', '/bin/busybox', 'httpd', '-f', '-p', `127.0.0.1:${port}`, '-h', '/www');
  });

  after(async () => {
    if (linked) {
      fs.unlinkSync(DEFAULT_SOCKET);
    }
    await sandbox?.dispose();
  });

  it('names the container in the Ports view, and Free Port stops it through Docker after the real dialog', async () => {
    const { workbench } = session();
    const { page } = workbench;
    const label = `${port}/tcp`;
    await workbench.reset();
    await workbench.openView('Port Inspector', VIEW);
    // Only this port: on a busy machine its row could sit below the rows a virtual tree renders.
    await workbench.runCommand('Port Inspector: Filter Ports…');
    await page.locator('.quick-input-widget .quick-input-box input').fill(String(port));
    await page.keyboard.press('Enter');
    const row = workbench
      .pane(VIEW)
      .locator('[role="treeitem"]')
      .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) })
      .first();
    await until(
      async () => {
        await workbench.runCommand('Port Inspector: Refresh');
        const description = (await row.locator('.label-description').innerText({ timeout: 2000 }).catch(() => '')).trim();
        return /^web \(compose shop\) · pi-busybox/.test(description) ? description : undefined;
      },
      { what: `the row of ${label} naming the container`, timeoutMs: 90_000 },
    );
    await page.mouse.move(0, 0);
    await workbench.screenshot('ports-view-container');

    await row.hover();
    await row.locator('.actions .action-label[aria-label="Free Port…"]').click();
    const dialog = await until(() => workbench.dialog(), { what: 'the container dialog' });
    assert.match(dialog.text, /Stop container shop-web-1 \(pi-busybox\)\?/);
    assert.match(dialog.text, /Compose service "web" of project "shop"/);
    // `--network=host`: the container's own process holds the port; it is no forwarder.
    assert.match(dialog.text, /busybox \(pid \d+\) runs inside the container/);
    assert.doesNotMatch(dialog.text, /forwards the port/);
    assert.deepEqual([...dialog.buttons].sort(), ['Cancel', 'Open Shell', 'Restart Container', 'Show Logs', 'Stop Compose Service', 'Stop Container']);
    await workbench.screenshot('free-port-container');
    await workbench.answerDialog('Stop Container');

    const done = await until(async () => (await workbench.notifications()).find((n) => /Docker stopped container shop-web-1/.test(n)), { what: 'the "stopped" notification', timeoutMs: 60_000 });
    assert.match(done, new RegExp(`port ${port} is free now`));
    assert.equal(sandbox!.docker('inspect', '--format', '{{.State.Running}}', id), 'false');
    await workbench.waitForRow(VIEW, label, false, 60_000);
    await workbench.runCommand('Port Inspector: Clear Filter');
  });
});
