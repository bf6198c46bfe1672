// Ports in shell commands: `docker run -p 8080:80`, `--port 5173`, `PORT=3000 npm start`, `ssh -p 2222`,
// `nc -l 9000`, `kubectl port-forward svc/x 8080:80`, `python -m http.server 8000`, `socat TCP-LISTEN:80`.
// Used for shell scripts and Makefiles, and for command strings inside JSON, YAML and Dockerfiles.
import type { Protocol } from '../../core/types';
import { parseDockerMapping } from './dockerMapping';
import { foundOf, isPortKey, isWildcardAddress, keyWords, parsePortValue, portOf, rangeOf, roleOfKey, unbracket } from './portValues';
import type { Found } from './portValues';
import { commandIndex, commandName, shellSegments, wordSpan } from './shellWords';
import type { Word } from './shellWords';
import { parseHostPort } from './urlFinder';
import type { PortRole } from './types';

const DOCKERISH = new Set(['docker', 'podman', 'nerdctl', 'finch', 'docker-compose', 'podman-compose']);
// Commands whose `-p N` is not a port: a pid (`ps -p 1234`), a strip count (`patch -p 1`), a password.
const NON_PORT_P = new Set([
  'ps', 'pgrep', 'pkill', 'kill', 'strace', 'ltrace', 'lsof', 'gdb', 'perf', 'renice', 'taskset', 'pstree',
  'pmap', 'prlimit', 'ionice', 'chrt', 'top', 'htop', 'pidstat', 'pwdx', 'patch', 'mkdir', 'cp', 'mv',
  'install', 'useradd', 'usermod', 'passwd', 'read', 'git', 'tsc', 'xargs', 'pytest', 'gzip', 'zip', 'unzip',
  'tar', 'rsync', 'sort', 'jq', 'yq', 'sed', 'grep', 'head', 'tail', 'diff', 'ls', 'cat', 'echo', 'printf',
  'mktemp', 'chmod', 'chown', 'ln', 'rm', 'touch', 'find', 'mysql', 'mysqldump', 'mysqladmin', 'mariadb',
  'openssl', 'parallel', 'make', 'split', 'nproc', 'sleep', 'timeout', 'seq',
]);
// Programs that connect to a port rather than listen on it.
const CLIENTS = new Set([
  'ssh', 'scp', 'sftp', 'autossh', 'psql', 'pg_dump', 'pg_dumpall', 'pg_restore', 'pg_isready', 'createdb',
  'dropdb', 'mysql', 'mysqldump', 'mysqladmin', 'mariadb', 'redis-cli', 'mongosh', 'mongo', 'mongodump',
  'mongorestore', 'telnet', 'curl', 'wget', 'grpcurl', 'cqlsh', 'clickhouse-client', 'ab', 'wrk', 'ftp',
  'ldapsearch', 'wait-for-it', 'wait-for',
]);
const CAPITAL_P_PORT = new Set(['scp', 'sftp', 'mysql', 'mysqldump', 'mysqladmin', 'mariadb', 'jekyll']);
const FIREWALLS = new Set(['iptables', 'ip6tables', 'ufw', 'firewall-cmd', 'nft', 'semanage']);
const NETCAT = new Set(['nc', 'ncat', 'netcat']);
const NETCAT_VALUE_FLAGS = new Set('wiqsxXTIOVMmegGpP'.split(''));
const NETCAT_LONG_VALUE_FLAGS = new Set([
  '--wait', '--source', '--source-port', '--exec', '--sh-exec', '--proxy', '--proxy-type', '--max-conns',
  '--idle-timeout', '--output',
]);
const KUBECTL_VALUE_FLAGS = new Set([
  '-n', '--namespace', '--address', '--context', '--kubeconfig', '--cluster', '--user', '-c', '--container',
  '--pod-running-timeout', '-l', '--selector',
]);

export interface ShellOptions {
  /** The command a continuation line belongs to (`docker` for a `-p 80:80 \` line after `docker run \`). */
  command?: string;
  commented?: boolean;
}

interface Env {
  out: Found[];
  cmd: string | undefined;
  commented: boolean;
}

function push(env: Env, f: Found | undefined): void {
  if (!f) {
    return;
  }
  if (env.commented) {
    f.commented = true;
  }
  env.out.push(f);
}

/** A finding for `word.text[at, …)` parsed as a port value; undefined when it is not one. */
function valueAt(word: Word, at: number, role: PortRole, context: string, protocol?: Protocol): Found | undefined {
  const parsed = parsePortValue(word.text, at);
  if (!parsed || parsed.next !== word.text.length) {
    return undefined;
  }
  const span = wordSpan(word, parsed.start, parsed.end);
  return foundOf({ ...parsed, ...span }, role, context, { protocol });
}

/** Findings of a parser that works on a piece of `word.text`, moved to source columns. */
function mapped(word: Word, at: number, found: Found[] | Found | undefined): Found[] {
  const list = found === undefined ? [] : Array.isArray(found) ? found : [found];
  return list.map((f) => ({ ...f, ...wordSpan(word, at + f.start, at + f.end) }));
}

function flagRole(name: string, cmd: string | undefined): PortRole {
  if (cmd && FIREWALLS.has(cmd)) {
    return 'single';
  }
  if (cmd && CLIENTS.has(cmd)) {
    return 'target';
  }
  // `--port` tells a server where to listen; `--metrics-port`, `--db-port` only name some port.
  return keyWords(name).every((w) => w === 'port') ? 'listen' : 'single';
}

/** Handles a flag word; returns how many following words it consumed as its value (0 or 1). */
function flag(env: Env, words: Word[], k: number): number {
  const word = words[k];
  const text = word.text;
  const cmd = env.cmd;
  const javaProperty = /^-D([\w.-]+)=/.exec(text);
  if (javaProperty) {
    if (isPortKey(javaProperty[1])) {
      push(env, valueAt(word, javaProperty[0].length, 'single', 'java-property'));
    }
    return 0;
  }
  let name: string;
  let valueWord: Word | undefined;
  let valueAtIndex = 0;
  const eq = text.indexOf('=');
  const shortAttached = /^-([pPiLRD])(?=[\d:[@46]|tcp|udp|TCP|UDP)/.exec(text);
  if (cmd === 'lsof' && /^-[A-Za-z]*i$/.test(text)) {
    // `lsof -ti tcp:3000`: single-letter flags cluster, and the last one takes the value.
    name = 'i';
    const next = words[k + 1];
    if (next && !next.text.startsWith('-')) {
      valueWord = next;
    }
  } else if (shortAttached && !text.startsWith('--')) {
    name = shortAttached[1];
    valueWord = word;
    valueAtIndex = 2;
  } else if (eq > 1) {
    name = text.slice(text.startsWith('--') ? 2 : 1, eq);
    valueWord = word;
    valueAtIndex = eq + 1;
  } else {
    name = text.slice(text.startsWith('--') ? 2 : 1);
    const next = words[k + 1];
    if (next && !next.text.startsWith('-')) {
      valueWord = next;
    }
  }
  if (!valueWord) {
    return 0;
  }
  const consumed = valueWord === word ? 0 : 1;
  const value = valueWord.text.slice(valueAtIndex);
  const isNumber = /^\d{1,5}(-\d{1,5})?$/.test(value);
  const take = (found: Found | Found[] | undefined): number => {
    const list = mapped(valueWord as Word, valueAtIndex, found);
    list.forEach((f) => push(env, f));
    return list.length > 0 ? consumed : 0;
  };
  const parsedValue = (role: PortRole, context: string): Found | undefined => {
    const parsed = parsePortValue(value, 0);
    return parsed && parsed.next === value.length ? foundOf(parsed, role, context) : undefined;
  };

  if (cmd && NETCAT.has(cmd)) {
    return 0;
  }
  if ((name === 'p' || name === 'publish') && ((cmd !== undefined && DOCKERISH.has(cmd)) || value.includes(':'))) {
    return take(parseDockerMapping(value, 0, 'docker-publish'));
  }
  if (name === 'expose' && cmd !== undefined && DOCKERISH.has(cmd)) {
    return take(parsedValue('container', 'docker-expose'));
  }
  if (name === 'p' && isNumber && !(cmd && NON_PORT_P.has(cmd))) {
    return take(parsedValue(cmd && CLIENTS.has(cmd) ? 'target' : 'listen', 'port-flag'));
  }
  if (name === 'P' && isNumber && cmd && CAPITAL_P_PORT.has(cmd)) {
    return take(parsedValue('target', 'port-flag'));
  }
  if ((name === 'L' || name === 'R' || name === 'D') && (cmd === 'ssh' || cmd === 'autossh')) {
    return take(sshForward(name, value));
  }
  if (name === 'i' && cmd === 'lsof') {
    return take(lsofAddress(value));
  }
  if ((name === 'l' && cmd === 'serve') || (name === 'S' && cmd === 'php')) {
    return take(isNumber ? parsedValue('listen', 'port-flag') : parseHostPort(value, 0, 'listen', 'bind-flag'));
  }
  if (name.length > 1 && isPortKey(name)) {
    return take(parsedValue(flagRole(name, cmd), 'port-flag'));
  }
  if ((name === 'inspect' || name === 'inspect-brk' || name === 'debug') && valueWord === word) {
    const bare = parsedValue('listen', 'node-inspect');
    return take(bare ?? parseHostPort(value, 0, 'listen', 'node-inspect'));
  }
  const nameWords = keyWords(name);
  if (value.includes(':') && (name === 'b' || nameWords.some((w) => w === 'bind' || w === 'listen' || w === 'addr' || w === 'address'))) {
    return take(parseHostPort(value, 0, 'listen', 'bind-flag'));
  }
  return 0;
}

function sshForward(name: string, value: string): Found[] {
  if (name === 'D') {
    const m = /^(?:([^:]*):)?(\d{1,5})$/.exec(value);
    const port = m ? portOf(m[2]) : undefined;
    if (!m || port === undefined) {
      return [];
    }
    const at = value.length - m[2].length;
    return [foundOf({ start: at, end: value.length, port, next: value.length }, 'listen', 'ssh-forward', { hostAddress: m[1] })];
  }
  const m = /^(?:([^:]*|\[[^\]]*\]):)?(\d{1,5}):(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(value);
  if (!m) {
    return [];
  }
  const local = portOf(m[2]);
  const remote = portOf(m[4]);
  if (local === undefined || remote === undefined) {
    return [];
  }
  const localAt = m[1] !== undefined ? m[1].length + 1 : 0;
  const remoteAt = value.length - m[4].length;
  // -L listens here and forwards to host:hostport; -R listens on the server and forwards back here.
  const listenRole: PortRole = name === 'L' ? 'listen' : 'single';
  return [
    foundOf({ start: localAt, end: localAt + m[2].length, port: local, next: 0 }, listenRole, 'ssh-forward', {
      hostAddress: m[1] ? unbracket(m[1]) : undefined,
    }),
    foundOf({ start: remoteAt, end: value.length, port: remote, next: 0 }, 'target', 'ssh-forward', {
      hostAddress: unbracket(m[3]),
    }),
  ];
}

function lsofAddress(value: string): Found | undefined {
  const m = /^[46]?(tcp|udp)?(?:@([^:]+))?:(\d{1,5})(?:-(\d{1,5}))?$/i.exec(value);
  if (!m) {
    return undefined;
  }
  const range = m[4] !== undefined ? rangeOf(m[3], m[4]) : undefined;
  const port = m[4] !== undefined ? range?.[0] : portOf(m[3]);
  if (port === undefined) {
    return undefined;
  }
  const start = value.lastIndexOf(':') + 1;
  return foundOf({ start, end: value.length, port, range, next: value.length }, 'single', 'lsof', {
    protocol: m[1] ? (m[1].toLowerCase() as Protocol) : undefined,
    hostAddress: m[2] ? unbracket(m[2]) : undefined,
  });
}

function netcat(env: Env, words: Word[], from: number, used: Set<number>): void {
  let listening = false;
  let udp = false;
  for (let k = from; k < words.length; k++) {
    const t = words[k].text;
    if (/^-[A-Za-z]+$/.test(t)) {
      listening ||= t.includes('l');
      udp ||= t.includes('u');
    } else if (t === '--listen') {
      listening = true;
    } else if (t === '--udp') {
      udp = true;
    }
  }
  const protocol: Protocol = udp ? 'udp' : 'tcp';
  for (let k = from; k < words.length; k++) {
    const t = words[k].text;
    if (/^-[A-Za-z]+$/.test(t)) {
      const last = t[t.length - 1];
      if (NETCAT_VALUE_FLAGS.has(last) && words[k + 1]) {
        if (last === 'p') {
          push(env, valueAt(words[k + 1], 0, listening ? 'listen' : 'single', 'netcat', protocol));
        }
        used.add(k + 1);
        k++;
      }
    } else if (NETCAT_LONG_VALUE_FLAGS.has(t)) {
      k++;
    } else if (!t.startsWith('-') && !used.has(k) && /^\d{1,5}(-\d{1,5})?$/.test(t)) {
      push(env, valueAt(words[k], 0, listening ? 'listen' : 'target', 'netcat', protocol));
    }
  }
}

function kubectlPortForward(env: Env, words: Word[], from: number): void {
  let resourceSeen = false;
  for (let k = from; k < words.length; k++) {
    const t = words[k].text;
    if (t.startsWith('-')) {
      if (!t.includes('=') && KUBECTL_VALUE_FLAGS.has(t)) {
        k++;
      }
      continue;
    }
    if (!resourceSeen) {
      resourceSeen = true;
      continue;
    }
    if (/^\d{1,5}$/.test(t)) {
      const port = portOf(t);
      if (port !== undefined) {
        const f = valueAt(words[k], 0, 'host', 'kubectl-port-forward');
        if (f) {
          f.mapping = { hostPort: port, containerPort: port };
          push(env, f);
        }
      }
    } else if (/^\d{0,5}:\d{1,5}$/.test(t)) {
      mapped(words[k], 0, parseDockerMapping(t, 0, 'kubectl-port-forward')).forEach((f) => push(env, f));
    }
  }
}

function positional(env: Env, words: Word[], ci: number, used: Set<number>): void {
  const cmd = env.cmd;
  const start = ci + 1;
  if (cmd && NETCAT.has(cmd)) {
    netcat(env, words, start, used);
    return;
  }
  // `wait_for db 5432`, `wait-for host 5432`: the helper every entrypoint script defines.
  if (cmd && /^wait[-_]?for(?:[-_]port)?$/i.test(cmd)) {
    const last = words[words.length - 1];
    if (words.length - start === 2 && !used.has(words.length - 1)) {
      push(env, valueAt(last, 0, 'target', 'wait-for'));
    }
    return;
  }
  for (let k = start; k < words.length; k++) {
    if (used.has(k)) {
      continue;
    }
    const t = words[k].text;
    const next = words[k + 1];
    if ((cmd === 'kubectl' || cmd === 'oc') && t === 'port-forward') {
      kubectlPortForward(env, words, k + 1);
      return;
    }
    if (t === 'http.server' || t === 'runserver') {
      for (let j = k + 1; j < words.length; j++) {
        const v = words[j].text;
        if (v.startsWith('-')) {
          j += /^(-b|--bind|-d|--directory|-p|--protocol)$/.test(v) ? 1 : 0;
          continue;
        }
        const context = t === 'runserver' ? 'django-runserver' : 'python-http-server';
        push(env, valueAt(words[j], 0, 'listen', context) ?? mapped(words[j], 0, parseHostPort(v, 0, 'listen', context))[0]);
        break;
      }
      return;
    }
    if (cmd === 'ngrok' && /^(http|tcp|tls)$/.test(t) && next) {
      push(env, valueAt(next, 0, 'target', 'ngrok'));
      return;
    }
    if (cmd === 'socat') {
      const listen = /^(TCP|UDP)[46]?-LISTEN:(\d{1,5})(?=,|$)/i.exec(t);
      const connect = /^(TCP|UDP)[46]?(?:-CONNECT)?:(\[[^\]]+\]|[^:,[]+):(\d{1,5})(?=,|$)/i.exec(t);
      const protocol = ((listen ?? connect)?.[1].toLowerCase() ?? 'tcp') as Protocol;
      if (listen) {
        push(env, valueAt({ text: listen[2], cols: words[k].cols.slice(listen[0].length - listen[2].length) }, 0, 'listen', 'socat', protocol));
      } else if (connect) {
        const f = valueAt({ text: connect[3], cols: words[k].cols.slice(connect[0].length - connect[3].length) }, 0, 'target', 'socat', protocol);
        if (f) {
          f.hostAddress = unbracket(connect[2]);
        }
        push(env, f);
      }
      continue;
    }
    if ((cmd === 'wait-for-it' || cmd === 'wait-for') && !t.startsWith('-')) {
      push(env, mapped(words[k], 0, parseHostPort(t, 0, 'target', 'wait-for'))[0]);
      continue;
    }
    if (cmd === 'fuser' && /^\d{1,5}\/(tcp|udp)$/.test(t)) {
      push(env, valueAt(words[k], 0, 'single', 'fuser'));
      continue;
    }
    if (cmd === 'ufw' && /^(allow|deny|reject|limit|port)$/.test(words[k - 1]?.text ?? '')) {
      const m = /^(\d{1,5})(?::(\d{1,5}))?(?:\/(tcp|udp))?$/.exec(t);
      if (m) {
        const range = m[2] !== undefined ? rangeOf(m[1], m[2]) : undefined;
        const port = m[2] !== undefined ? range?.[0] : portOf(m[1]);
        if (port !== undefined) {
          const end = m[1].length + (m[2] !== undefined ? m[2].length + 1 : 0);
          push(env, foundOf({ ...wordSpan(words[k], 0, end), port, range, next: 0 }, 'single', 'firewall', {
            protocol: m[3] as Protocol | undefined,
          }));
        }
      }
      continue;
    }
    if (cmd === 'kill-port' && /^\d{1,5}$/.test(t)) {
      push(env, valueAt(words[k], 0, 'single', 'kill-port'));
    } else if (cmd === 'fkill' && /^:\d{1,5}$/.test(t)) {
      push(env, mapped(words[k], 0, parseHostPort(t, 0, 'single', 'kill-port'))[0]);
    }
  }
}

const COMMAND_WORDS = new Set(['options', 'opts', 'args', 'flags', 'command', 'cmd']);
const ADDRESS_WORDS = new Set(['addr', 'address', 'listen', 'bind']);

/**
 * An address setting (`LISTEN_ADDR=:8080`, `listen = "127.0.0.1:8001"`, `bind: 0.0.0.0:9000`): the port
 * of a `host:port` value under a key naming an address. A key saying listen/bind, or a wildcard host,
 * makes it a listen port.
 */
export function addressSetting(key: string, value: string, context: string): Found | undefined {
  const words = keyWords(key);
  if (!words.some((w) => ADDRESS_WORDS.has(w)) || !value.includes(':')) {
    return undefined;
  }
  const f = parseHostPort(value, 0, 'url', context);
  if (f && (isWildcardAddress(f.hostAddress) || words.includes('listen') || words.includes('bind'))) {
    f.role = 'listen';
  }
  return f;
}

/** `PORT=3000`, `LISTEN_ADDR=:8080`, `NODE_OPTIONS=--inspect=9229`. */
function assignmentWord(env: Env, word: Word, key: string, at: number): void {
  if (isPortKey(key)) {
    push(env, valueAt(word, at, roleOfKey(key), 'env-assignment'));
    return;
  }
  const words = keyWords(key);
  const value = word.text.slice(at);
  const address = addressSetting(key, value, 'env-address');
  if (address) {
    mapped(word, at, address).forEach((found) => push(env, found));
  } else if (words.some((w) => COMMAND_WORDS.has(w))) {
    for (const f of scanShell(value, { commented: env.commented })) {
      env.out.push({ ...f, ...wordSpan(word, at + f.start, at + f.end) });
    }
  }
}

const ENV_DEFAULT_RE = /\$\{([A-Za-z_]\w*)(?::-|-|:=|=)(\d{1,5})\}/g;

function scanSegment(words: Word[], inherited: string | undefined, out: Found[], commented: boolean): void {
  const ci = inherited !== undefined ? -1 : commandIndex(words);
  const cmd = inherited ?? (ci >= 0 ? commandName(words[ci].text) : undefined);
  const env: Env = { out, cmd, commented };
  const used = new Set<number>();
  for (let k = 0; k < words.length; k++) {
    if (k === ci || used.has(k)) {
      continue;
    }
    const word = words[k];
    const text = word.text;
    const before = out.length;
    const assignment = /^([A-Za-z_][\w.]*)=/.exec(text);
    if (assignment) {
      assignmentWord(env, word, assignment[1], assignment[0].length);
    } else if (text.startsWith('-') && text.length > 1 && text !== '--') {
      const consumed = flag(env, words, k);
      for (let j = 1; j <= consumed; j++) {
        used.add(k + j);
      }
    } else if (/\s/.test(text)) {
      // A quoted command inside a command: `sh -c "npm start -- --port 3000"`, exec-form elements.
      for (const f of scanShell(text, { commented })) {
        out.push({ ...f, ...wordSpan(word, f.start, f.end) });
      }
    }
    if (out.length === before && text.includes('${')) {
      ENV_DEFAULT_RE.lastIndex = 0;
      for (let m = ENV_DEFAULT_RE.exec(text); m; m = ENV_DEFAULT_RE.exec(text)) {
        const port = portOf(m[2]);
        if (port !== undefined && isPortKey(m[1])) {
          const at = m.index + m[0].length - 1 - m[2].length;
          push(env, foundOf({ ...wordSpan(word, at, at + m[2].length), port, variable: m[1], next: 0 }, roleOfKey(m[1]), 'env-default'));
        }
      }
    }
    if (out.length > before) {
      used.add(k);
    }
  }
  positional(env, words, ci, used);
}

/** Ports in the shell command(s) in `line[from, to)`. */
export function scanShell(line: string, options: ShellOptions = {}, from = 0, to = line.length): Found[] {
  const out: Found[] = [];
  shellSegments(line, from, to).forEach((segment, index) => {
    scanSegment(segment.words, index === 0 ? options.command : undefined, out, Boolean(options.commented) || segment.commented);
  });
  return out;
}

/** The command of the last segment of `line`, for the continuation lines that follow it. */
export function lastCommand(line: string, inherited?: string): string | undefined {
  const segments = shellSegments(line);
  if (segments.length === 0) {
    return inherited;
  }
  if (segments.length === 1 && inherited !== undefined) {
    return inherited;
  }
  const words = segments[segments.length - 1].words;
  const ci = commandIndex(words);
  return ci >= 0 ? commandName(words[ci].text) : inherited;
}
