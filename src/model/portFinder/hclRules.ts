// Terraform and other HCL: `from_port = 443`, `port = 8080`, `container_port = 3000`, `ports = [80, 443]`,
// and the `default` of a variable whose name says port (`variable "redis_port" { default = 6379 }`).
import { findPortPairs, uncomment } from './keyValueRules';
import { foundOf, isPortKey, parsePortValue } from './portValues';
import type { Found } from './portValues';

/** How far above a `default = …` its `variable "…" {` is looked for. */
const VARIABLE_LOOKBACK_LINES = 8;

function variableName(lineAt: (line: number) => string | undefined, i: number): string | undefined {
  for (let j = i - 1; j >= Math.max(0, i - VARIABLE_LOOKBACK_LINES); j--) {
    const m = /^\s*variable\s+"([\w-]+)"\s*\{/.exec(lineAt(j) ?? '');
    if (m) {
      return m[1];
    }
    if (/^\s*\}/.test(lineAt(j) ?? '')) {
      return undefined;
    }
  }
  return undefined;
}

/** One HCL line; `lineAt` reads the lines above it. */
export function scanHclLine(line: string, lineAt: (line: number) => string | undefined, i: number): Found[] {
  let { from, commented } = uncomment(line, '#');
  if (!commented && line.startsWith('//', from)) {
    from += 2;
    commented = true;
  }
  const byDefault = /^default\s*=\s*/.exec(line.slice(from));
  if (byDefault) {
    const name = variableName(lineAt, i);
    const value = name !== undefined && isPortKey(name) ? parsePortValue(line, from + byDefault[0].length) : undefined;
    return value ? [foundOf(value, 'single', 'hcl-variable', { commented })] : [];
  }
  return findPortPairs(line, 'hcl', commented, from);
}
