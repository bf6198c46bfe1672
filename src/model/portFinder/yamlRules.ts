// Compose files, Kubernetes manifests and other YAML: `ports:` entries in Docker syntax, the compose long
// syntax (`target:`/`published:`), `expose:`, Kubernetes `containerPort`/`targetPort`/`nodePort`/`hostPort`,
// `port:` inside a `ports:` entry, `- name: PORT` + `value: "3000"`, and port keys anywhere.
import type { Protocol } from '../../core/types';
import { parseDockerMapping } from './dockerMapping';
import { findPortPairs, portValuesAt } from './keyValueRules';
import { foundOf, isPortKey, parsePortValue, roleOfKey } from './portValues';
import type { Found } from './portValues';
import { addressSetting, scanShell } from './shellRules';
import type { PortRole } from './types';
import type { YamlContext, YamlField } from './yamlContext';

interface Scalar {
  text: string;
  at: number;
  end: number;
}

/** The plain or quoted scalar at `col`, without its quotes and trailing comment. */
function scalarAt(line: string, col: number): Scalar {
  const q = line[col];
  if (q === '"' || q === "'") {
    const close = line.indexOf(q, col + 1);
    const end = close === -1 ? line.length : close;
    return { text: line.slice(col + 1, end), at: col + 1, end };
  }
  const hash = line.search(/\s#/);
  const stop = hash !== -1 && hash >= col ? hash : line.length;
  const text = line.slice(col, stop).trimEnd();
  return { text, at: col, end: col + text.length };
}

/** The elements of a one-line flow sequence `[a, "b", 'c']` starting at `col`. */
function flowElements(line: string, col: number): Scalar[] {
  const close = line.indexOf(']', col);
  if (line[col] !== '[' || close === -1) {
    return [];
  }
  const out: Scalar[] = [];
  const re = /"([^"]*)"|'([^']*)'|([^,\s\]][^,\]]*)/g;
  re.lastIndex = col + 1;
  const body = line.slice(0, close);
  for (let m = re.exec(body); m; m = re.exec(body)) {
    const text = (m[1] ?? m[2] ?? m[3]).trimEnd();
    const at = m.index + (m[3] !== undefined ? 0 : 1);
    out.push({ text, at, end: at + text.length });
  }
  return out;
}

function listEntry(scalar: Scalar, listKey: string | undefined, commented: boolean): Found[] {
  if (listKey === 'ports') {
    return parseDockerMapping(scalar.text, scalar.at, 'compose-ports', commented) ?? [];
  }
  if (listKey === 'expose') {
    const value = parsePortValue(scalar.text, 0);
    return value && value.next === scalar.text.length
      ? [foundOf({ ...value, start: value.start + scalar.at, end: value.end + scalar.at }, 'container', 'compose-expose', { commented })]
      : [];
  }
  if (listKey !== undefined && isPortKey(listKey)) {
    const value = parsePortValue(scalar.text, 0);
    if (value && value.next === scalar.text.length) {
      return [foundOf({ ...value, start: value.start + scalar.at, end: value.end + scalar.at }, 'single', 'yaml-port-key', { commented })];
    }
    return parseDockerMapping(scalar.text, scalar.at, 'compose-ports', commented) ?? [];
  }
  return scanShell(scalar.text, { commented }).map((f) => ({ ...f, start: f.start + scalar.at, end: f.end + scalar.at }));
}

function fieldValue(ctx: YamlContext, field: YamlField | undefined): Scalar | undefined {
  const line = field && field.valueCol !== undefined ? ctx.lines.text(field.line) : undefined;
  return line !== undefined && field?.valueCol !== undefined ? scalarAt(line, field.valueCol) : undefined;
}

function fieldPort(ctx: YamlContext, field: YamlField | undefined): number | undefined {
  const value = fieldValue(ctx, field);
  const parsed = value ? parsePortValue(value.text, 0) : undefined;
  return parsed && parsed.next === value?.text.length ? parsed.port : undefined;
}

/** Keys whose meaning comes from being a field of a `ports:` entry or of a Kubernetes container. */
const ITEM_PORT_KEYS = new Set(['containerPort', 'hostPort', 'nodePort', 'targetPort', 'target', 'published', 'port', 'value']);

function itemPortKey(ctx: YamlContext, i: number, key: string, valueCol: number, commented: boolean): Found[] | undefined {
  const item = ctx.itemOf(i);
  const fields = item ? ctx.fields(item.line) : undefined;
  const listKey = item ? ctx.listKeyOf(item.line) : undefined;
  const line = ctx.lines.text(i) ?? '';
  const protocol: Protocol = /^udp$/i.test(fieldValue(ctx, fields?.get('protocol'))?.text ?? '') ? 'udp' : 'tcp';
  const value = parsePortValue(line, valueCol);
  if (!value) {
    return undefined;
  }
  const make = (role: PortRole, context: string): Found[] => [foundOf(value, role, context, { protocol, commented })];
  switch (key) {
    case 'containerPort':
    case 'hostPort': {
      const found = make(key === 'hostPort' ? 'host' : 'container', key === 'hostPort' ? 'k8s-host-port' : 'k8s-container-port');
      const hostPort = fieldPort(ctx, fields?.get('hostPort'));
      const containerPort = fieldPort(ctx, fields?.get('containerPort'));
      if (hostPort !== undefined && containerPort !== undefined) {
        found[0].mapping = { hostPort, containerPort };
      }
      return found;
    }
    case 'nodePort':
      return make('host', 'k8s-node-port');
    case 'targetPort':
      return make('target', 'k8s-target-port');
    case 'target':
    case 'published': {
      if (listKey !== 'ports') {
        return undefined;
      }
      const found = make(key === 'published' ? 'host' : 'container', 'compose-ports-long');
      const hostAddress = fieldValue(ctx, fields?.get('host_ip'))?.text;
      if (hostAddress) {
        found[0].hostAddress = hostAddress;
      }
      const published = fieldValue(ctx, fields?.get('published'));
      const hostValue = published ? parsePortValue(published.text, 0) : undefined;
      const containerPort = fieldPort(ctx, fields?.get('target'));
      found[0].mapping = {};
      if (hostValue) {
        found[0].mapping.hostPort = hostValue.port;
        if (hostValue.range) {
          found[0].mapping.hostRange = hostValue.range;
        }
      }
      if (containerPort !== undefined) {
        found[0].mapping.containerPort = containerPort;
      }
      return found;
    }
    case 'port':
      return listKey === 'ports' ? make('single', 'k8s-port') : undefined;
    case 'value': {
      const name = fieldValue(ctx, fields?.get('name'))?.text;
      return name !== undefined && isPortKey(name) ? make(roleOfKey(name), 'k8s-env') : undefined;
    }
    default:
      return undefined;
  }
}

/** A port key whose value is a template (`{{ .Values.port | default 8080 }}`, `<%= ENV.fetch("DB_PORT", 5433) %>`):
 *  the literal fallback it ends with. */
function templateFallback(line: string, valueCol: number, commented: boolean): Found[] {
  const value = line.slice(valueCol);
  if (!/\{\{|<%|\$\{/.test(value)) {
    return [];
  }
  const m = /(?:\bdefault|,|\|\||\bor\b)[ \t]*["']?(\d{1,5})["']?[ \t]*(?:\)[ \t]*)?(?:\}\}|%>|\})/.exec(value);
  if (!m) {
    return [];
  }
  const at = valueCol + m.index + m[0].indexOf(m[1]);
  const parsed = parsePortValue(line, at);
  return parsed ? [foundOf(parsed, 'single', 'yaml-template-default', { commented })] : [];
}

/** One line of a compose file or other YAML. */
export function scanYamlLine(ctx: YamlContext, i: number): Found[] {
  const line = ctx.lines.text(i);
  const shape = ctx.shape(i);
  if (line === undefined || shape.blank) {
    return [];
  }
  const commented = shape.commented;
  if (shape.key === undefined) {
    if (shape.isItem) {
      const listKey = ctx.listKeyOf(i);
      return listEntry(scalarAt(line, shape.contentCol), listKey, commented);
    }
    // Block scalar content (`run: |` steps, `command: >` strings) and prose: shell rules only.
    return scanShell(line, { commented }, shape.contentCol);
  }
  const key = shape.key;
  const valueCol = shape.valueCol;
  if (valueCol === undefined) {
    return [];
  }
  if (line[valueCol] === '[' && (key === 'ports' || key === 'expose' || isPortKey(key))) {
    return flowElements(line, valueCol).flatMap((element) => listEntry(element, key, commented));
  }
  if (ITEM_PORT_KEYS.has(key)) {
    const found = itemPortKey(ctx, i, key, valueCol, commented);
    if (found) {
      return found;
    }
  }
  if (isPortKey(key)) {
    const values = portValuesAt(line, valueCol, key, 'yaml-port-key', commented);
    return values.length > 0 ? values : templateFallback(line, valueCol, commented);
  }
  // `containerPorts:` / `ports:` maps of name → port (Helm values), Kubernetes `port: {number: 80}`.
  const plain = parsePortValue(line, valueCol);
  if (plain && line.slice(plain.next).replace(/\s#.*$/, '').trim() === '') {
    const parent = ctx.ancestors(i)[0];
    if (parent && !parent.isItem && parent.key !== undefined && (isPortKey(parent.key) || (key === 'number' && parent.key === 'port'))) {
      return [foundOf(plain, 'single', 'yaml-port-map', { commented })];
    }
  }
  const scalarText = scalarAt(line, valueCol).text;
  const address = /^:\d/.test(scalarText) || /^[\w.*-]*:\d{1,5}(?:\/(?:tcp|udp))?$/.test(scalarText) ? addressSetting(key, scalarText.replace(/\/(?:tcp|udp)$/, ''), 'yaml-address') : undefined;
  if (address) {
    const at = scalarAt(line, valueCol).at;
    return [{ ...address, start: address.start + at, end: address.end + at, ...(commented ? { commented } : {}) }];
  }
  if (line[valueCol] === '{') {
    return findPortPairs(line, 'yaml-port-key', commented, valueCol + 1);
  }
  const scalar = line[valueCol] === '[' ? { text: line.slice(valueCol), at: valueCol, end: line.length } : scalarAt(line, valueCol);
  return scanShell(scalar.text, { commented }).map((f) => ({ ...f, start: f.start + scalar.at, end: f.end + scalar.at }));
}
