// The extension's API as integration tests use it, inside the extension host. The type is imported from
// src/extension.ts with `import type`, which vanishes at compile time; a value import from src/ would
// load a second copy of the extension next to the one the host activated. The object comes from the
// activated extension.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../../src/constants';
import type { PortInspectorApi } from '../../src/extension';

export type { PortInspectorApi };

/** A dialog or notification of the actions, as the API's prompt seam hands it to a test. */
export type Prompt = Parameters<NonNullable<Parameters<PortInspectorApi['test']['setPromptHandler']>[0]>>[0];

/** One row of the Ports view as `getTreeSnapshot()` renders it (children nested). */
export type TreeRowSnapshot = ReturnType<PortInspectorApi['getTreeSnapshot']>[number];

/** Activates the extension (once: later calls get the same object) and returns its API. */
export async function activatedApi(): Promise<PortInspectorApi> {
  const ext = vscode.extensions.getExtension<PortInspectorApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this host`);
  return ext.activate();
}
