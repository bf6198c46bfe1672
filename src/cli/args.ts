// Command-line arguments: a small strict parser (unknown flags are errors, not silently ignored).

export interface CliArgs {
  command: 'list' | 'who' | 'kill' | 'test' | 'explain' | 'run' | 'servers' | 'help' | 'version';
  positional: string[];
  /** Everything after `--` (the command `run` starts), untouched. */
  rest?: string[];
  flags: Set<string>;
  options: Map<string, string>;
}

export class UsageError extends Error {}

const COMMANDS = ['list', 'who', 'kill', 'test', 'explain', 'run', 'servers', 'help', 'version'] as const;
/** Flags without a value, per command. */
const FLAGS: Record<string, readonly string[]> = {
  list: ['json', 'tcp', 'udp', 'wide'],
  who: ['json', 'tcp', 'udp'],
  kill: ['force', 'tree', 'yes', 'tcp', 'udp', 'json'],
  test: ['udp', 'json'],
  explain: ['json'],
  run: ['free', 'yes'],
  servers: ['json'],
  help: [],
  version: [],
};
/** Options that take a value, per command. */
const OPTIONS: Record<string, readonly string[]> = {
  list: ['port'],
  who: [],
  kill: ['timeout'],
  test: ['timeout'],
  explain: ['command'],
  run: ['timeout'],
  servers: ['idle', 'older-than', 'project'],
  help: [],
  version: [],
};

/** Parses argv (without node and the script). Throws UsageError with one clear line. */
export function parseArgs(argv: readonly string[]): CliArgs {
  const first = argv[0];
  if (first === undefined || first === '-h' || first === '--help') {
    return { command: 'help', positional: [], flags: new Set(), options: new Map() };
  }
  if (first === '-v' || first === '--version') {
    return { command: 'version', positional: [], flags: new Set(), options: new Map() };
  }
  if (!(COMMANDS as readonly string[]).includes(first)) {
    throw new UsageError(`unknown command '${first}': use list, who, kill, test, explain, run or servers (see --help)`);
  }
  const command = first as CliArgs['command'];
  const args: CliArgs = { command, positional: [], flags: new Set(), options: new Map() };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--' && command === 'run') {
      // The command to run, with its own flags: never ours to parse.
      args.rest = argv.slice(i + 1);
      break;
    }
    if (a === '-h' || a === '--help') {
      return { command: 'help', positional: [command], flags: new Set(), options: new Map() };
    }
    if (!a.startsWith('--')) {
      args.positional.push(a);
      continue;
    }
    const [name, inlineValue] = a.slice(2).split(/=(.*)/s, 2);
    if (FLAGS[command].includes(name) && inlineValue === undefined) {
      args.flags.add(name);
    } else if (OPTIONS[command].includes(name)) {
      const value = inlineValue ?? argv[++i];
      if (value === undefined) {
        throw new UsageError(`--${name} needs a value`);
      }
      args.options.set(name, value);
    } else {
      throw new UsageError(`unknown option '${a}' for '${command}' (see --help)`);
    }
  }
  if (args.flags.has('tcp') && args.flags.has('udp')) {
    throw new UsageError('--tcp and --udp exclude each other; give neither for both');
  }
  return args;
}

export const HELP = `port-inspector — what is holding a port, and can I get rid of it?

Usage:
  port-inspector list [--tcp|--udp] [--port N|LO-HI] [--wide] [--json]
      Every listening TCP socket and bound UDP socket, with its owner and what usually runs there.
  port-inspector who <port> [--tcp|--udp] [--json]
      Who holds <port>. Exit code 0 when held, 1 when free.
  port-inspector kill <port> [--tcp|--udp] [--force] [--tree] [--yes] [--timeout MS] [--json]
      Stop what holds <port>: SIGTERM, then watch the port (default 5000 ms). --force sends SIGKILL,
      --tree stops the owner's whole job (a supervisor that respawns it). Asks first on a terminal
      unless --yes. Exit code 0 when the port ends up free. A port a container publishes: its engine
      stops the container (docker-proxy, conmon and other forwarders are never signalled).
  port-inspector test <host>:<port> [--udp] [--timeout MS] [--json]
      Connect and identify what answers (TLS, HTTP, banner). Exit code 0 when it connects.
  <program> 2>&1 | port-inspector explain [--command "<command line>"] [--json]
      Reads a program's output on stdin and names each port conflict in it ("address already in use")
      with who holds that port now. --command: the command that printed it, for messages that name no
      port. Exit code 0 when it found a conflict, 1 when none.
  port-inspector run [--free] [--yes] [--timeout MS] -- <command…>
      Runs <command> (no shell), passing its output through. When it fails because its port is taken,
      says who holds the port; with --free, stops that holder (asks first unless --yes, re-checks it
      like kill) and runs the command once more. Exit code: the command's.
  port-inspector servers [--idle 30m] [--older-than 8h] [--project DIR] [--json]
      Development servers (started from a project or by a language runtime) with their project, uptime,
      connections and idleness; the options keep the forgotten ones. Idleness is tracked between runs (in
      the user's state folder): "unknown" until a run has seen a connection.

Exit code 2: invalid arguments.`;
