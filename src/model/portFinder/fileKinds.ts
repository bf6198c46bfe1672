// Which port rules apply to a file, from its name (and the editor's language id when the name says
// nothing). Undefined means "do not look": binary files and lock files.
import type { PortFileKind } from './types';

const BINARY_EXTENSIONS = new Set([
  'png', 'jpg', 'jpeg', 'gif', 'webp', 'ico', 'bmp', 'pdf', 'zip', 'gz', 'tgz', 'bz2', 'xz', 'zst', 'tar', '7z',
  'rar', 'jar', 'war', 'class', 'exe', 'dll', 'so', 'dylib', 'o', 'a', 'wasm', 'woff', 'woff2', 'ttf', 'otf',
  'eot', 'mp3', 'mp4', 'mov', 'avi', 'webm', 'ogg', 'wav', 'flac', 'sqlite', 'db', 'bin', 'pyc', 'node',
]);
const LOCK_FILES = new Set(['package-lock.json', 'yarn.lock', 'pnpm-lock.yaml', 'npm-shrinkwrap.json', 'composer.lock', 'cargo.lock', 'poetry.lock', 'go.sum', 'gemfile.lock']);

const BY_EXTENSION: Record<string, PortFileKind> = {
  yaml: 'yaml', yml: 'yaml', json: 'json', jsonc: 'json', json5: 'json', properties: 'properties', toml: 'toml',
  ini: 'ini', cfg: 'ini', cnf: 'ini', conf: 'ini', sh: 'shell', bash: 'shell', zsh: 'shell', ksh: 'shell',
  mk: 'makefile', js: 'javascript', mjs: 'javascript', cjs: 'javascript', jsx: 'javascript', ts: 'typescript',
  mts: 'typescript', cts: 'typescript', tsx: 'typescript', py: 'python', pyw: 'python', go: 'go', env: 'env',
  dockerfile: 'dockerfile', containerfile: 'dockerfile', caddyfile: 'caddy', nginx: 'nginx', nginxconf: 'nginx',
  java: 'java', kt: 'java', kts: 'java', groovy: 'java', gradle: 'java', scala: 'java', cs: 'csharp', rs: 'rust',
  rb: 'ruby', rake: 'ruby', tf: 'hcl', tfvars: 'hcl', hcl: 'hcl', nomad: 'hcl', md: 'markdown', markdown: 'markdown',
  mdx: 'markdown',
};

const BY_LANGUAGE: Record<string, PortFileKind> = {
  dockercompose: 'compose', yaml: 'yaml', json: 'json', jsonc: 'json', dockerfile: 'dockerfile', nginx: 'nginx',
  apacheconf: 'apache', caddyfile: 'caddy', properties: 'properties', 'java-properties': 'properties',
  toml: 'toml', ini: 'ini', shellscript: 'shell', makefile: 'makefile', javascript: 'javascript',
  javascriptreact: 'javascript', typescript: 'typescript', typescriptreact: 'typescript', python: 'python',
  go: 'go', dotenv: 'env', env: 'env', java: 'java', kotlin: 'java', groovy: 'java', scala: 'java', csharp: 'csharp',
  rust: 'rust', ruby: 'ruby', terraform: 'hcl', hcl: 'hcl', markdown: 'markdown', mdx: 'markdown',
};

/**
 * The kind of a file for the port finder. `fileName` may be a bare name or a path (`/etc/nginx/conf.d/app.conf`
 * is nginx); `languageId` is the editor's, used when the name alone is not telling.
 */
export function fileKindOf(fileName: string, languageId?: string): PortFileKind | undefined {
  const path = fileName.replace(/\\/g, '/');
  const base = path.slice(path.lastIndexOf('/') + 1);
  const lower = base.toLowerCase();
  const dot = lower.lastIndexOf('.');
  const ext = dot > 0 ? lower.slice(dot + 1) : '';
  if (LOCK_FILES.has(lower) || BINARY_EXTENSIONS.has(ext) || lower.endsWith('.min.js')) {
    return undefined;
  }
  if (/^(docker-|podman-)?compose([.-][\w.-]+)?\.ya?ml$/.test(lower) || /\.compose\.ya?ml$/.test(lower)) {
    return 'compose';
  }
  if (lower === '.env' || lower.startsWith('.env.') || ext === 'env') {
    return lower.endsWith('.json') || lower.endsWith('.js') || lower.endsWith('.ts') ? BY_EXTENSION[ext] : 'env';
  }
  if (lower === 'dockerfile' || lower === 'containerfile' || /^(docker|container)file[.-]/.test(lower)) {
    return 'dockerfile';
  }
  if (lower === 'caddyfile' || lower.startsWith('caddyfile.')) {
    return 'caddy';
  }
  if (lower === 'gemfile' || lower === 'rakefile' || lower === 'vagrantfile' || lower === 'guardfile') {
    return 'ruby';
  }
  if (lower === 'makefile' || lower === 'gnumakefile' || lower === 'bsdmakefile') {
    return 'makefile';
  }
  if (lower === 'procfile' || lower.startsWith('procfile.') || lower === '.envrc' || lower === '.bashrc' || lower === '.zshrc' || lower === '.profile') {
    return 'shell';
  }
  if (lower === 'nginx.conf' || (ext === 'conf' && /\/nginx\//.test(path))) {
    return 'nginx';
  }
  if (lower === 'httpd.conf' || lower === 'apache2.conf' || lower === '.htaccess' || (ext === 'conf' && /\/(apache2?|httpd)\//.test(path))) {
    return 'apache';
  }
  if (languageId === 'dockercompose') {
    return 'compose';
  }
  const byExtension = BY_EXTENSION[ext];
  // A `.conf` the path says nothing about could be anything; the editor may know better, unless it only
  // says what VS Code says of every `.conf` and `.cfg` (properties) or nothing at all (plain text).
  const generic = languageId === undefined || languageId === 'properties' || languageId === 'plaintext';
  if (byExtension && !(ext === 'conf' && languageId !== undefined && !generic && BY_LANGUAGE[languageId])) {
    return byExtension;
  }
  if (languageId !== undefined && BY_LANGUAGE[languageId]) {
    return BY_LANGUAGE[languageId];
  }
  return byExtension ?? 'other';
}
