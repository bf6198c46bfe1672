// Copyable commands for looking at a port by hand, per operating system. Only validated values go into
// them (the port number, a host that passed parseHost), so they are safe to paste into a shell.
import type { Protocol } from '../../core/types';
import type { NextStepCommand } from './types';

/** What the commands are about. */
export interface NextStepsInput {
  port: number;
  protocol: Protocol;
  platform: NodeJS.Platform;
  /** Where to test a connection: the host asked about, or a bound address. */
  host: string;
  /** The owner of a socket on the port could not be seen: the listing needs more rights. */
  ownerHidden: boolean;
  /** Nothing listens on the port. */
  nothingListening: boolean;
}

/** `host` as it goes into a command: IPv6 in brackets only where the tool wants them. */
function bare(host: string): string {
  return host.replace(/^\[(.*)\]$/, '$1');
}

function linux(i: NextStepsInput): NextStepCommand[] {
  const { port } = i;
  const udp = i.protocol === 'udp';
  const sudo = i.ownerHidden ? 'sudo ' : '';
  return [
    { purpose: 'Who is listening on the port', command: `${sudo}ss -${udp ? 'lunp' : 'ltnp'} 'sport = :${port}'` },
    { purpose: 'The same, with lsof', command: `${sudo}lsof -nP -i${udp ? 'UDP' : 'TCP'}:${port}${udp ? '' : ' -sTCP:LISTEN'}` },
    { purpose: 'Test a connection from this machine', command: `nc -vz${udp ? 'u' : ''} ${bare(i.host)} ${port}` },
    { purpose: "This machine's addresses, to test from another machine with nc", command: 'hostname -I' },
    { purpose: 'Firewall rules that mention the port (nftables)', command: `sudo nft list ruleset | grep ${port}` },
    { purpose: 'Firewall rules that mention the port (iptables)', command: `sudo iptables-save | grep ${port}` },
    ...(i.nothingListening
      ? [
          { purpose: 'The ephemeral port range (ports outgoing connections take)', command: 'cat /proc/sys/net/ipv4/ip_local_port_range' },
          { purpose: 'The lowest port a normal user may bind', command: 'sysctl net.ipv4.ip_unprivileged_port_start' },
        ]
      : []),
  ];
}

function darwin(i: NextStepsInput): NextStepCommand[] {
  const { port } = i;
  const udp = i.protocol === 'udp';
  const sudo = i.ownerHidden ? 'sudo ' : '';
  return [
    { purpose: 'Who is listening on the port', command: `${sudo}lsof -nP -i${udp ? 'UDP' : 'TCP'}:${port}${udp ? '' : ' -sTCP:LISTEN'}` },
    { purpose: 'The sockets on the port, with netstat', command: `netstat -anv -p ${udp ? 'udp' : 'tcp'} | grep '\\.${port} '` },
    { purpose: 'Test a connection from this machine', command: `nc -vz${udp ? 'u' : ''} ${bare(i.host)} ${port}` },
    { purpose: 'Is the Application Firewall on, and which apps may accept connections', command: '/usr/libexec/ApplicationFirewall/socketfilterfw --getglobalstate --listapps' },
    { purpose: 'pf rules that mention the port', command: `sudo pfctl -sr | grep ${port}` },
  ];
}

function windows(i: NextStepsInput): NextStepCommand[] {
  const { port } = i;
  const udp = i.protocol === 'udp';
  const ps = udp
    ? `Get-NetUDPEndpoint -LocalPort ${port} | Select-Object LocalAddress, OwningProcess`
    : `Get-NetTCPConnection -LocalPort ${port} -State Listen | Select-Object LocalAddress, OwningProcess`;
  return [
    { purpose: 'Who is listening on the port (Command Prompt or PowerShell)', command: `netstat -ano -p ${udp ? 'UDP' : 'TCP'} | findstr :${port}` },
    { purpose: 'The same in PowerShell', command: ps },
    ...(udp ? [] : [{ purpose: 'Test a connection (PowerShell)', command: `Test-NetConnection -ComputerName ${bare(i.host)} -Port ${port}` }]),
    { purpose: 'Firewall rules for the port (PowerShell)', command: `Get-NetFirewallPortFilter | Where-Object { $_.LocalPort -contains '${port}' } | Get-NetFirewallRule` },
    { purpose: 'Port ranges Windows reserves (Hyper-V, WSL, Docker): binding inside one fails with "access denied"', command: `netsh interface ipv4 show excludedportrange protocol=${udp ? 'udp' : 'tcp'}` },
  ];
}

/** The commands for `input.platform` (Linux's for other Unix-likes: ss and lsof are the likeliest there). */
export function nextStepCommands(input: NextStepsInput): NextStepCommand[] {
  switch (input.platform) {
    case 'win32':
      return windows(input);
    case 'darwin':
      return darwin(input);
    default:
      return linux(input);
  }
}
