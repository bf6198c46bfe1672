// Turns a system error from a lookup, connect or read into a failure kind and one line of plain words.
import type { ConnectionFailure } from './types';

/** Where the error happened and against what, for the message. */
export interface FailureContext {
  /** What the user asked for (`localhost`), for lookup errors. */
  host: string;
  /** `address:port` actually used, for connection errors. */
  target: string;
}

/** Classifies `error` (an errno-style error, an AbortError, anything). Never throws. */
export function classifyError(error: unknown, context: FailureContext): ConnectionFailure {
  const e = (error ?? {}) as { code?: unknown; name?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : undefined;
  const withCode = (failure: ConnectionFailure): ConnectionFailure => (code ? { ...failure, code } : failure);
  if (e.name === 'AbortError' || code === 'ABORT_ERR') {
    return { kind: 'cancelled', message: 'The test was cancelled.' };
  }
  switch (code) {
    case 'ECONNREFUSED':
      return withCode({ kind: 'refused', message: `Nothing is listening on ${context.target} (connection refused).` });
    case 'ETIMEDOUT':
      return withCode({ kind: 'timeout', message: `${context.target} did not answer in time (connection timed out).` });
    case 'EHOSTUNREACH':
    case 'EHOSTDOWN':
      return withCode({ kind: 'unreachable', message: `There is no route to ${context.target} (host unreachable).` });
    case 'ENETUNREACH':
    case 'ENETDOWN':
      return withCode({ kind: 'unreachable', message: `The network of ${context.target} cannot be reached (network unreachable).` });
    case 'ENOTFOUND':
    case 'EAI_NONAME':
    case 'ENODATA':
    case 'EAI_NODATA':
      return withCode({ kind: 'dns', message: `The name ${context.host} does not resolve to any address.` });
    case 'EAI_AGAIN':
    case 'ESERVFAIL':
    case 'ETIMEOUT':
      return withCode({ kind: 'dns', message: `The name ${context.host} could not be looked up: the DNS server did not answer.` });
    case 'EAI_FAIL':
      return withCode({ kind: 'dns', message: `The name ${context.host} could not be looked up (DNS failure).` });
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ECONNABORTED':
      return withCode({ kind: 'reset', message: `${context.target} closed the connection abruptly (connection reset).` });
    case 'EADDRNOTAVAIL':
    case 'EAFNOSUPPORT':
    case 'EINVAL':
      return withCode({ kind: 'invalid', message: `${context.target} cannot be used from this machine (${code}).` });
    case 'EACCES':
    case 'EPERM':
      return withCode({ kind: 'other', message: `Connecting to ${context.target} is not permitted here (a local firewall rule?).` });
    default: {
      const text = typeof e.message === 'string' && e.message ? e.message.split('\n', 1)[0] : String(error);
      return withCode({ kind: 'other', message: `Connecting to ${context.target} failed: ${text}` });
    }
  }
}
