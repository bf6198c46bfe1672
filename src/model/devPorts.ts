// What developers commonly find listening on a port: defaults of dev servers, databases, brokers,
// debuggers and infrastructure. IANA's registry often says something else (3000/tcp is "RemoteWare
// Client"), so this table is what a person debugging "what is on 3000?" actually wants to read.
import type { Protocol } from '../core/types';
import { checkPort } from './portRange';

/** What sort of thing usually listens on a port. */
export type PortKind = 'web' | 'database' | 'cache' | 'queue' | 'debugger' | 'infra' | 'remote' | 'mail' | 'file' | 'other';

/** Why a listener on this port is a concern when other machines can reach it:
 *  - `unauthenticated`: usually accepts anyone, without a password (Redis, the Node inspector, Docker's
 *    plain API) — often remote code execution or full data access;
 *  - `plaintext`: passwords and data cross the network unencrypted (telnet, FTP, rsh, SNMP, VNC);
 *  - `sensitive`: has authentication, but should still not face the network (databases, brokers). */
export type ExposureConcern = 'unauthenticated' | 'plaintext' | 'sensitive';

/** One well-known development or infrastructure use of a port. */
export interface DevPortEntry {
  readonly port: number;
  /** Transports it is used over; most are TCP only. */
  readonly protocols: readonly Protocol[];
  /** What commonly runs there, most likely first, e.g. `['Vite']`. */
  readonly runs: readonly string[];
  readonly kind: PortKind;
  /** The scheme to open it with in a browser, when it normally serves a web page or HTTP API (TCP only). */
  readonly http?: 'http' | 'https';
  /** Why exposing it is a concern. Databases, caches, queues and debuggers default to `sensitive`. */
  readonly exposure?: ExposureConcern;
  /** Plain-words consequence of exposing it, used as the first half of a risk reason,
   *  e.g. `The Docker API without TLS gives anyone who connects root on this machine`. */
  readonly riskNote?: string;
}

const TCP: readonly Protocol[] = ['tcp'];
const UDP: readonly Protocol[] = ['udp'];
const BOTH: readonly Protocol[] = ['tcp', 'udp'];

/** The table, ordered by port. At most one entry per port and protocol (a test checks it). */
export const DEV_PORTS: readonly DevPortEntry[] = [
  { port: 21, protocols: TCP, runs: ['FTP'], kind: 'file', exposure: 'plaintext' },
  { port: 22, protocols: TCP, runs: ['SSH'], kind: 'remote' },
  { port: 23, protocols: TCP, runs: ['Telnet'], kind: 'remote', exposure: 'plaintext' },
  { port: 25, protocols: TCP, runs: ['SMTP (mail transfer)'], kind: 'mail' },
  { port: 53, protocols: BOTH, runs: ['DNS', 'systemd-resolved', 'dnsmasq'], kind: 'infra' },
  { port: 67, protocols: UDP, runs: ['DHCP server'], kind: 'infra' },
  { port: 68, protocols: UDP, runs: ['DHCP client'], kind: 'infra' },
  {
    port: 69, protocols: UDP, runs: ['TFTP'], kind: 'file', exposure: 'unauthenticated',
    riskNote: 'TFTP has no passwords at all: anyone who connects can read (and often write) its files',
  },
  { port: 80, protocols: TCP, runs: ['HTTP', 'nginx', 'Apache httpd'], kind: 'web', http: 'http' },
  { port: 110, protocols: TCP, runs: ['POP3'], kind: 'mail', exposure: 'plaintext' },
  { port: 111, protocols: BOTH, runs: ['rpcbind (portmapper)'], kind: 'infra', exposure: 'sensitive' },
  { port: 123, protocols: UDP, runs: ['NTP', 'chrony'], kind: 'infra' },
  { port: 135, protocols: TCP, runs: ['Windows RPC endpoint mapper'], kind: 'infra' },
  { port: 137, protocols: UDP, runs: ['NetBIOS name service'], kind: 'file' },
  { port: 138, protocols: UDP, runs: ['NetBIOS datagram service'], kind: 'file' },
  { port: 139, protocols: TCP, runs: ['NetBIOS session (SMB over NetBIOS)'], kind: 'file' },
  { port: 143, protocols: TCP, runs: ['IMAP'], kind: 'mail', exposure: 'plaintext' },
  { port: 161, protocols: UDP, runs: ['SNMP'], kind: 'infra', exposure: 'plaintext' },
  { port: 389, protocols: TCP, runs: ['LDAP'], kind: 'infra', exposure: 'plaintext' },
  { port: 443, protocols: BOTH, runs: ['HTTPS', 'nginx', 'Apache httpd'], kind: 'web', http: 'https' },
  { port: 445, protocols: TCP, runs: ['SMB file sharing', 'Samba'], kind: 'file' },
  { port: 465, protocols: TCP, runs: ['SMTP submission over TLS'], kind: 'mail' },
  { port: 512, protocols: TCP, runs: ['rexec'], kind: 'remote', exposure: 'plaintext' },
  { port: 513, protocols: TCP, runs: ['rlogin'], kind: 'remote', exposure: 'plaintext' },
  { port: 514, protocols: TCP, runs: ['rsh'], kind: 'remote', exposure: 'plaintext' },
  { port: 514, protocols: UDP, runs: ['syslog'], kind: 'infra' },
  { port: 587, protocols: TCP, runs: ['SMTP submission'], kind: 'mail' },
  { port: 631, protocols: TCP, runs: ['CUPS printing (IPP)'], kind: 'other', http: 'http' },
  { port: 636, protocols: TCP, runs: ['LDAP over TLS'], kind: 'infra' },
  { port: 873, protocols: TCP, runs: ['rsync daemon'], kind: 'file', exposure: 'plaintext' },
  { port: 993, protocols: TCP, runs: ['IMAP over TLS'], kind: 'mail' },
  { port: 995, protocols: TCP, runs: ['POP3 over TLS'], kind: 'mail' },
  {
    port: 1025, protocols: TCP, runs: ['Mailpit / MailHog SMTP (local mail catcher)'], kind: 'mail',
  },
  {
    port: 1080, protocols: TCP, runs: ['SOCKS proxy'], kind: 'infra', exposure: 'sensitive',
    riskNote: 'An open SOCKS proxy lets others send traffic through this machine',
  },
  { port: 1194, protocols: UDP, runs: ['OpenVPN'], kind: 'infra' },
  { port: 1433, protocols: TCP, runs: ['Microsoft SQL Server'], kind: 'database' },
  { port: 1521, protocols: TCP, runs: ['Oracle Database'], kind: 'database' },
  { port: 1883, protocols: TCP, runs: ['MQTT (Mosquitto)'], kind: 'queue', exposure: 'plaintext' },
  { port: 1900, protocols: UDP, runs: ['SSDP / UPnP discovery'], kind: 'infra' },
  { port: 2049, protocols: BOTH, runs: ['NFS'], kind: 'file' },
  { port: 2181, protocols: TCP, runs: ['ZooKeeper'], kind: 'infra', exposure: 'unauthenticated' },
  { port: 2222, protocols: TCP, runs: ['SSH (alternate)'], kind: 'remote' },
  {
    port: 2375, protocols: TCP, runs: ['Docker Engine API (no TLS)'], kind: 'infra', exposure: 'unauthenticated',
    riskNote: 'The Docker API without TLS gives anyone who connects root on this machine',
  },
  { port: 2376, protocols: TCP, runs: ['Docker Engine API (TLS)'], kind: 'infra', exposure: 'sensitive' },
  { port: 2379, protocols: TCP, runs: ['etcd client API'], kind: 'infra', exposure: 'unauthenticated' },
  { port: 2380, protocols: TCP, runs: ['etcd peer traffic'], kind: 'infra', exposure: 'sensitive' },
  {
    port: 3000, protocols: TCP, kind: 'web', http: 'http',
    runs: ['Node.js / Express', 'React (Create React App)', 'Next.js', 'Rails', 'Grafana'],
  },
  {
    port: 3001, protocols: TCP, kind: 'web', http: 'http',
    runs: ['Dev server moved up from 3000', 'Browsersync UI'],
  },
  { port: 3306, protocols: TCP, runs: ['MySQL', 'MariaDB'], kind: 'database' },
  { port: 3389, protocols: TCP, runs: ['Remote Desktop (RDP)'], kind: 'remote' },
  { port: 3478, protocols: BOTH, runs: ['STUN / TURN'], kind: 'infra' },
  { port: 4000, protocols: TCP, runs: ['Phoenix', 'Jekyll', 'Apollo Server'], kind: 'web', http: 'http' },
  { port: 4040, protocols: TCP, runs: ['ngrok inspector', 'Spark UI'], kind: 'web', http: 'http' },
  { port: 4173, protocols: TCP, runs: ['Vite preview'], kind: 'web', http: 'http' },
  { port: 4200, protocols: TCP, runs: ['Angular CLI'], kind: 'web', http: 'http' },
  { port: 4317, protocols: TCP, runs: ['OpenTelemetry collector (OTLP/gRPC)'], kind: 'infra' },
  { port: 4318, protocols: TCP, runs: ['OpenTelemetry collector (OTLP/HTTP)'], kind: 'infra' },
  { port: 4321, protocols: TCP, runs: ['Astro'], kind: 'web', http: 'http' },
  { port: 4566, protocols: TCP, runs: ['LocalStack'], kind: 'infra', http: 'http' },
  {
    port: 5000, protocols: TCP, kind: 'web', http: 'http',
    runs: ['Flask', 'ASP.NET Core (HTTP)', 'AirPlay Receiver (macOS)', 'Docker registry'],
  },
  { port: 5001, protocols: TCP, runs: ['ASP.NET Core (HTTPS)', 'Dev server moved up from 5000'], kind: 'web', http: 'https' },
  {
    port: 5005, protocols: TCP, runs: ['Java debugger (JDWP)'], kind: 'debugger', exposure: 'unauthenticated',
    riskNote: 'A Java debug port (JDWP) lets anyone who connects run code in the JVM',
  },
  { port: 5037, protocols: TCP, runs: ['Android Debug Bridge (adb) server'], kind: 'debugger', exposure: 'unauthenticated' },
  { port: 5050, protocols: TCP, runs: ['pgAdmin'], kind: 'web', http: 'http' },
  { port: 5173, protocols: TCP, runs: ['Vite'], kind: 'web', http: 'http' },
  { port: 5174, protocols: TCP, runs: ['Vite (second instance)'], kind: 'web', http: 'http' },
  { port: 5353, protocols: UDP, runs: ['mDNS (Bonjour / Avahi)'], kind: 'infra' },
  { port: 5432, protocols: TCP, runs: ['PostgreSQL'], kind: 'database' },
  { port: 5433, protocols: TCP, runs: ['PostgreSQL (second instance)'], kind: 'database' },
  {
    port: 5555, protocols: TCP, runs: ['adb over TCP (Android wireless debugging)', 'Flower (Celery monitor)'],
    kind: 'debugger', exposure: 'unauthenticated',
    riskNote: 'adb over TCP lets anyone who connects control the Android device',
  },
  { port: 5601, protocols: TCP, runs: ['Kibana'], kind: 'web', http: 'http' },
  { port: 5672, protocols: TCP, runs: ['RabbitMQ (AMQP)'], kind: 'queue' },
  {
    port: 5900, protocols: TCP, runs: ['VNC'], kind: 'remote', exposure: 'plaintext',
    riskNote: 'VNC shares this screen and is often unencrypted with a weak password',
  },
  { port: 5901, protocols: TCP, runs: ['VNC (display :1)'], kind: 'remote', exposure: 'plaintext' },
  { port: 5984, protocols: TCP, runs: ['CouchDB'], kind: 'database', http: 'http' },
  { port: 6000, protocols: TCP, runs: ['X11 display server'], kind: 'remote', exposure: 'sensitive' },
  { port: 6006, protocols: TCP, runs: ['Storybook', 'TensorBoard'], kind: 'web', http: 'http' },
  { port: 6379, protocols: TCP, runs: ['Redis', 'Valkey'], kind: 'cache', exposure: 'unauthenticated' },
  { port: 6443, protocols: TCP, runs: ['Kubernetes API server'], kind: 'infra', http: 'https', exposure: 'sensitive' },
  { port: 7000, protocols: TCP, runs: ['AirPlay Receiver (macOS)', 'Cassandra inter-node'], kind: 'other' },
  { port: 7474, protocols: TCP, runs: ['Neo4j Browser (HTTP)'], kind: 'database', http: 'http' },
  { port: 7687, protocols: TCP, runs: ['Neo4j Bolt'], kind: 'database' },
  { port: 7860, protocols: TCP, runs: ['Gradio'], kind: 'web', http: 'http' },
  {
    port: 8000, protocols: TCP, kind: 'web', http: 'http',
    runs: ['Django', 'uvicorn / FastAPI', 'python -m http.server', 'Laravel (artisan serve)', 'Gatsby'],
  },
  {
    port: 8001, protocols: TCP, runs: ['kubectl proxy'], kind: 'infra', http: 'http', exposure: 'unauthenticated',
    riskNote: 'kubectl proxy passes requests to the Kubernetes API with your credentials, no questions asked',
  },
  { port: 8025, protocols: TCP, runs: ['Mailpit / MailHog web UI'], kind: 'mail', http: 'http' },
  {
    port: 8080, protocols: TCP, kind: 'web', http: 'http',
    runs: ['HTTP alternate', 'Tomcat', 'Spring Boot', 'Jenkins', 'webpack-dev-server', 'Vue CLI'],
  },
  {
    port: 8081, protocols: TCP, kind: 'web', http: 'http',
    runs: ['React Native Metro bundler / Expo', 'HTTP alternate', 'Tomcat / Spring (second instance)'],
  },
  { port: 8086, protocols: TCP, runs: ['InfluxDB'], kind: 'database', http: 'http' },
  { port: 8200, protocols: TCP, runs: ['HashiCorp Vault'], kind: 'infra', http: 'http', exposure: 'sensitive' },
  { port: 8443, protocols: TCP, runs: ['HTTPS alternate', 'Tomcat (TLS)'], kind: 'web', http: 'https' },
  { port: 8500, protocols: TCP, runs: ['Consul'], kind: 'infra', http: 'http', exposure: 'sensitive' },
  { port: 8501, protocols: TCP, runs: ['Streamlit'], kind: 'web', http: 'http' },
  { port: 8787, protocols: TCP, runs: ['RStudio Server'], kind: 'web', http: 'http' },
  { port: 8883, protocols: TCP, runs: ['MQTT over TLS'], kind: 'queue' },
  {
    port: 8888, protocols: TCP, runs: ['Jupyter'], kind: 'web', http: 'http', exposure: 'sensitive',
    riskNote: 'Jupyter runs any code it is sent, so only a token or password stands in the way',
  },
  { port: 8983, protocols: TCP, runs: ['Apache Solr'], kind: 'database', http: 'http' },
  {
    port: 9000, protocols: TCP, kind: 'web', http: 'http', exposure: 'sensitive',
    runs: ['PHP-FPM (FastCGI)', 'SonarQube', 'MinIO API', 'Portainer', 'Gatsby (serve)', 'ClickHouse (native)'],
    riskNote: 'If this is PHP-FPM, anyone who connects can make it run PHP code',
  },
  { port: 9001, protocols: TCP, runs: ['MinIO console', 'Supervisor web UI'], kind: 'web', http: 'http' },
  { port: 9042, protocols: TCP, runs: ['Cassandra (CQL)'], kind: 'database' },
  { port: 9090, protocols: TCP, runs: ['Prometheus', 'Cockpit'], kind: 'infra', http: 'http' },
  { port: 9092, protocols: TCP, runs: ['Kafka'], kind: 'queue' },
  { port: 9100, protocols: TCP, runs: ['Prometheus node exporter', 'Raw printing (JetDirect)'], kind: 'infra', http: 'http' },
  {
    port: 9200, protocols: TCP, runs: ['Elasticsearch', 'OpenSearch'], kind: 'database', http: 'http',
    exposure: 'unauthenticated',
  },
  {
    port: 9222, protocols: TCP, runs: ['Chrome DevTools remote debugging'], kind: 'debugger', http: 'http',
    exposure: 'unauthenticated',
    riskNote: 'Chrome remote debugging lets anyone who connects control the browser and read its cookies',
  },
  {
    port: 9229, protocols: TCP, runs: ['Node.js inspector (--inspect)'], kind: 'debugger', exposure: 'unauthenticated',
    riskNote: 'The Node.js inspector lets anyone who connects run code in the process',
  },
  {
    port: 9230, protocols: TCP, runs: ['Node.js inspector (second process)'], kind: 'debugger', exposure: 'unauthenticated',
    riskNote: 'The Node.js inspector lets anyone who connects run code in the process',
  },
  { port: 9300, protocols: TCP, runs: ['Elasticsearch transport'], kind: 'database' },
  { port: 9411, protocols: TCP, runs: ['Zipkin'], kind: 'infra', http: 'http' },
  { port: 9418, protocols: TCP, runs: ['git daemon'], kind: 'file' },
  { port: 10250, protocols: TCP, runs: ['kubelet API'], kind: 'infra', http: 'https', exposure: 'sensitive' },
  { port: 11211, protocols: BOTH, runs: ['memcached'], kind: 'cache', exposure: 'unauthenticated' },
  { port: 11434, protocols: TCP, runs: ['Ollama'], kind: 'infra', http: 'http', exposure: 'unauthenticated' },
  { port: 15672, protocols: TCP, runs: ['RabbitMQ management UI'], kind: 'queue', http: 'http' },
  { port: 16686, protocols: TCP, runs: ['Jaeger UI'], kind: 'infra', http: 'http' },
  { port: 19000, protocols: TCP, runs: ['Expo dev server (classic)'], kind: 'web', http: 'http' },
  { port: 19006, protocols: TCP, runs: ['Expo for web'], kind: 'web', http: 'http' },
  { port: 26257, protocols: TCP, runs: ['CockroachDB'], kind: 'database' },
  { port: 27017, protocols: TCP, runs: ['MongoDB'], kind: 'database', exposure: 'unauthenticated' },
  { port: 33060, protocols: TCP, runs: ['MySQL X Protocol'], kind: 'database' },
  { port: 35729, protocols: TCP, runs: ['LiveReload'], kind: 'web' },
  { port: 50051, protocols: TCP, runs: ['gRPC server (common example port)'], kind: 'other' },
];

let index: Map<string, DevPortEntry> | undefined;

function key(port: number, protocol: Protocol): string {
  return `${port}/${protocol}`;
}

function buildIndex(): Map<string, DevPortEntry> {
  const map = new Map<string, DevPortEntry>();
  for (const entry of DEV_PORTS) {
    for (const protocol of entry.protocols) {
      map.set(key(entry.port, protocol), entry);
    }
  }
  return map;
}

/** What developers commonly run on `port` over `protocol`, or undefined when it is not a known default.
 *  Throws a RangeError for an invalid port. */
export function devPortInfo(port: number, protocol: Protocol): DevPortEntry | undefined {
  checkPort(port);
  index ??= buildIndex();
  return index.get(key(port, protocol));
}

/** The exposure concern of an entry, with the default for kinds that should never face the network
 *  (databases, caches, queues, debuggers). */
export function exposureConcern(entry: DevPortEntry): ExposureConcern | undefined {
  if (entry.exposure) {
    return entry.exposure;
  }
  switch (entry.kind) {
    case 'database':
    case 'cache':
    case 'queue':
    case 'debugger':
      return 'sensitive';
    default:
      return undefined;
  }
}
