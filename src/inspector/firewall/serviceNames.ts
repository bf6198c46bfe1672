// Service names that firewall tools print instead of port numbers: pf and older nft print names from
// /etc/services (`port = http`), firewalld zones list services (`services: ssh http`), ufw lists
// application profiles (`Nginx Full`). The common ones are built in; anything else stays unresolved and
// is reported as a note rather than guessed.
import type { Protocol } from '../../core/types';
import type { PortSpan } from './types';

/** Ports of a named service: which spans, and the protocol when the name implies one. */
export interface ServicePorts {
  spans: PortSpan[];
  protocols: Protocol[];
}

type Entry = readonly [ports: readonly (number | PortSpan)[], protocols?: readonly Protocol[]];

// /etc/services names (pf, nft) and firewalld service names. Protocol empty: the name is registered for
// both TCP and UDP (firewalld's definitions name one; see its XML, which the reader consults first).
const SERVICES: Readonly<Record<string, Entry>> = {
  ftp: [[21], ['tcp']],
  ssh: [[22], ['tcp']],
  telnet: [[23], ['tcp']],
  smtp: [[25], ['tcp']],
  domain: [[53]],
  dns: [[53]],
  dhcp: [[67], ['udp']],
  bootps: [[67], ['udp']],
  bootpc: [[68], ['udp']],
  tftp: [[69], ['udp']],
  http: [[80], ['tcp']],
  www: [[80], ['tcp']],
  kerberos: [[88]],
  pop3: [[110], ['tcp']],
  sunrpc: [[111]],
  rpcbind: [[111]],
  ntp: [[123], ['udp']],
  netbios_ns: [[137], ['udp']],
  'netbios-ns': [[137], ['udp']],
  imap: [[143], ['tcp']],
  imap2: [[143], ['tcp']],
  snmp: [[161], ['udp']],
  ldap: [[389], ['tcp']],
  https: [[443], ['tcp']],
  microsoft_ds: [[445], ['tcp']],
  'microsoft-ds': [[445], ['tcp']],
  smtps: [[465], ['tcp']],
  submissions: [[465], ['tcp']],
  isakmp: [[500], ['udp']],
  syslog: [[514], ['udp']],
  'dhcpv6-client': [[546], ['udp']],
  submission: [[587], ['tcp']],
  ipp: [[631], ['tcp']],
  ldaps: [[636], ['tcp']],
  imaps: [[993], ['tcp']],
  pop3s: [[995], ['tcp']],
  openvpn: [[1194], ['udp']],
  nfs: [[2049]],
  mysql: [[3306], ['tcp']],
  'ms-wbt-server': [[3389], ['tcp']],
  rdp: [[3389], ['tcp']],
  postgresql: [[5432], ['tcp']],
  mdns: [[5353], ['udp']],
  'x11': [[6000], ['tcp']],
  redis: [[6379], ['tcp']],
  'http-alt': [[8080], ['tcp']],
  cockpit: [[9090], ['tcp']],
  'wireguard': [[51820], ['udp']],
  samba: [[139, 445], ['tcp']],
  'samba-client': [[[137, 138]], ['udp']],
  mongodb: [[27017], ['tcp']],
  'kube-apiserver': [[6443], ['tcp']],
  docker: [[2375, 2376], ['tcp']],
};

// ufw application profiles shipped by the common Debian/Ubuntu packages (/etc/ufw/applications.d).
const UFW_APPS: Readonly<Record<string, Entry>> = {
  openssh: [[22], ['tcp']],
  'nginx http': [[80], ['tcp']],
  'nginx https': [[443], ['tcp']],
  'nginx full': [[80, 443], ['tcp']],
  'nginx quic': [[443], ['udp']],
  apache: [[80], ['tcp']],
  'apache secure': [[443], ['tcp']],
  'apache full': [[80, 443], ['tcp']],
  postfix: [[25], ['tcp']],
  'postfix smtps': [[465], ['tcp']],
  'postfix submission': [[587], ['tcp']],
  'dovecot imap': [[143], ['tcp']],
  'dovecot secure imap': [[993], ['tcp']],
  'dovecot pop3': [[110], ['tcp']],
  'dovecot secure pop3': [[995], ['tcp']],
  cups: [[631], ['tcp']],
  samba: [[[137, 138], 139, 445]],
  bind9: [[53]],
};

function toPorts(entry: Entry | undefined): ServicePorts | undefined {
  if (!entry) {
    return undefined;
  }
  const [ports, protocols] = entry;
  return { spans: ports.map((p) => (typeof p === 'number' ? ([p, p] as const) : p)), protocols: [...(protocols ?? [])] };
}

/** The ports of an /etc/services or firewalld service name, or undefined when it is not a known one. */
export function servicePorts(name: string): ServicePorts | undefined {
  return Object.hasOwn(SERVICES, name.toLowerCase()) ? toPorts(SERVICES[name.toLowerCase()]) : undefined;
}

/** The ports of a ufw application profile name (`Nginx Full`), or undefined. */
export function ufwAppPorts(name: string): ServicePorts | undefined {
  const key = name.trim().toLowerCase();
  return Object.hasOwn(UFW_APPS, key) ? toPorts(UFW_APPS[key]) : undefined;
}
