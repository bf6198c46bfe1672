// The config-file port finder: pure logic behind the "what is this port?" hover.
export { fileKindOf } from './fileKinds';
export { findPorts, portAt, portAtPosition } from './findPorts';
export { duplicateHostPorts } from './duplicateHostPorts';
export { MAX_LINE_LENGTH } from './lines';
export { PORT_FILE_KINDS } from './types';
export type { DuplicateHostPort, LineReader, PortFileKind, PortMapping, PortMention, PortRole } from './types';
