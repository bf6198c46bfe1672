// The Ports dashboard in the webview. It says `ready`, then renders what the host sends: a full `init`,
// then `update`s with only the rows that changed and `activity` messages with only the new events. UI
// state is saved with setState for the serializer and sent to the host; data never is.
import type { HostMessage } from '../src/shared/protocol';
import { Dashboard } from './dashboard';
import { HostChannel, handleHostMessage } from './messages';
import { DashboardState } from './state';

function main(): void {
  const host = new HostChannel();
  const state = new DashboardState((ui) => host.uiState(ui));
  const dashboard = new Dashboard(document.getElementById('app') as HTMLElement, state, host);
  window.addEventListener('message', (event: MessageEvent<HostMessage>) => handleHostMessage(event.data, dashboard, host));
  dashboard.start();
  dashboard.figures.ready();
  host.ready();
}

main();
