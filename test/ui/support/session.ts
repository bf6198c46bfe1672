// The workbench the UI runner (scripts/testHost/runUi.ts) opened, handed to the test files. The runner
// loads mocha in its own process, so both see this same module instance.
import type { Workbench } from './workbench';

export interface UiSession {
  workbench: Workbench;
  /** `dev`: extension loaded from the repository; `vsix`: the packaged .vsix, installed. */
  mode: 'dev' | 'vsix';
}

let current: UiSession | undefined;

export function setSession(session: UiSession | undefined): void {
  current = session;
}

/** The running session; throws when a UI test file is run without the UI runner. */
export function session(): UiSession {
  if (!current) {
    throw new Error('UI tests run through `npm run test:ui` (scripts/testHost/runUi.ts), not plain mocha');
  }
  return current;
}
