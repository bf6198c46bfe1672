// The actions' settings: how long "Free Port" watches the port after asking the process to stop, and how
// long "Test Connection" waits. Read at the moment of use (no restart, no change listener needed). Values
// out of bounds fall back to the default, with one log line per distinct bad value.
import * as vscode from 'vscode';
import { Settings } from '../constants';
import { log } from '../services/logger';

interface Bounds {
  key: string;
  fallback: number;
  min: number;
  max: number;
}

export const FREE_PORT_TIMEOUT: Readonly<Bounds> = { key: Settings.freePortTimeoutMs, fallback: 5000, min: 500, max: 60_000 };
export const TEST_CONNECTION_TIMEOUT: Readonly<Bounds> = { key: Settings.testConnectionTimeoutMs, fallback: 3000, min: 100, max: 60_000 };

const reported = new Set<string>();

/** The value of a millisecond setting, or its default when it is not a number within bounds. */
export function readMs(bounds: Readonly<Bounds>): number {
  const value = vscode.workspace.getConfiguration().get<unknown>(bounds.key, bounds.fallback);
  if (typeof value === 'number' && Number.isFinite(value) && value >= bounds.min && value <= bounds.max) {
    return Math.round(value);
  }
  const problem = `${bounds.key}: ${JSON.stringify(value)} is not a number of milliseconds from ${bounds.min} to ${bounds.max}; using ${bounds.fallback}.`;
  if (!reported.has(problem)) {
    reported.add(problem);
    log.warn(problem);
  }
  return bounds.fallback;
}

export const readFreePortTimeoutMs = (): number => readMs(FREE_PORT_TIMEOUT);
export const readTestConnectionTimeoutMs = (): number => readMs(TEST_CONNECTION_TIMEOUT);
