// The actions' settings: how long "Free Port" watches the port after asking the process to stop, and how
// long "Test Connection" waits. Read at the moment of use (no restart, no change listener needed), through
// the one validator: a value out of bounds is the default, and the user is told (src/services/config.ts).
import { readSettings } from '../services/config';

export const readFreePortTimeoutMs = (): number => readSettings().freePortTimeoutMs;
export const readTestConnectionTimeoutMs = (): number => readSettings().testConnectionTimeoutMs;
