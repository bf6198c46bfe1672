// The one handle on the VS Code webview API. `acquireVsCodeApi` may be called once per document.
import type { PersistedState, WebviewMessage } from '../src/shared/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: PersistedState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

/** Sends a typed message to the extension host. */
export function post(message: WebviewMessage): void {
  api.postMessage(message);
}

/** Saves what the serializer hands back after a window reload: UI state only. */
export function saveState(state: PersistedState): void {
  api.setState(state);
}

/** What was saved before this document was (re)created, unchecked. */
export function savedState(): unknown {
  return api.getState();
}
