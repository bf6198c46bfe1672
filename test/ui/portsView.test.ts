// The Port Inspector view, seen and used the way a user does, in the real workbench.
import * as assert from 'node:assert/strict';
import { closeAfterEachTest, startListener } from '../support/listeners';
import { until } from '../support/poll';
import { session } from './support/session';
import type { ThemeName } from './support/workbench';

const CONTAINER = 'Port Inspector';
const VIEW = 'Ports';
const REFRESH = 'Port Inspector: Refresh';

describe('Port Inspector view', () => {
  closeAfterEachTest();

  it('opens from the activity bar and shows rows', async () => {
    const { workbench } = session();
    await workbench.openView(CONTAINER, VIEW);
    // The first scan runs at start-up: rows appear once it lands.
    const rows = await until(async () => {
      const labels = await workbench.treeRows(VIEW);
      return labels.length > 0 ? labels : undefined;
    }, { what: 'rows in the Ports view' });
    assert.ok(rows.every((r) => r.length > 0), `blank row labels: ${JSON.stringify(rows)}`);
    await workbench.screenshot('ports-view');
  });

  it('shows a listener started after the last scan once "Port Inspector: Refresh" runs', async () => {
    const { workbench } = session();
    // A real process listening on loopback, not part of the extension host.
    const listener = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
    const label = `${listener.ports[0]}/tcp`;
    await workbench.openView(CONTAINER, VIEW);
    await workbench.runCommand(REFRESH);
    await workbench.waitForRow(VIEW, label);
    await workbench.screenshot('ports-view-new-listener');

    await listener.close();
    await workbench.runCommand(REFRESH);
    await workbench.waitForRow(VIEW, label, false);
  });

  const themes: Array<[ThemeName, string]> = [
    ['Default Light Modern', 'light'],
    ['Default Dark Modern', 'dark'],
    ['Default High Contrast', 'high-contrast'],
  ];
  for (const [theme, short] of themes) {
    it(`renders in the ${short} theme`, async () => {
      const { workbench } = session();
      await workbench.setTheme(theme);
      await workbench.openView(CONTAINER, VIEW);
      assert.ok((await workbench.treeRows(VIEW)).length > 0);
      await workbench.screenshot(`ports-view-${short}`);
    });
  }
});
