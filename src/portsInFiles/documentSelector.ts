// Which documents the port hovers (and diagnostics) are offered for: one filter set per file kind, by
// language id and by file name, because many of these files have no language of their own in a plain
// VS Code (`.env` opens as "properties", `nginx.conf` as "properties" or plain text, a compose file as YAML
// or "dockercompose" depending on the extensions installed). The `other` kind, URLs with a port in any
// file, selects every file and untitled document; the provider then decides from the file's name.
import type * as vscode from 'vscode';
import type { PortFileKind } from '../model/portFinder';
import { fileKindOf, PORT_FILE_KINDS } from '../model/portFinder';

export { PORT_FILE_KINDS };

const SCHEMES = ['file', 'untitled'] as const;

function byLanguage(...languages: string[]): vscode.DocumentFilter[] {
  return languages.flatMap((language) => SCHEMES.map((scheme) => ({ language, scheme })));
}

function byPattern(...patterns: string[]): vscode.DocumentFilter[] {
  return patterns.map((pattern) => ({ scheme: 'file', pattern }));
}

/** The filters of every kind. A Record, so a new kind cannot be forgotten here. */
const FILTERS: Readonly<Record<PortFileKind, readonly vscode.DocumentFilter[]>> = {
  env: [...byLanguage('dotenv', 'env'), ...byPattern('**/.env', '**/.env.*', '**/*.env')],
  compose: [
    ...byLanguage('dockercompose'),
    ...byPattern('**/{docker-,podman-,}compose.{yml,yaml}', '**/{docker-,podman-,}compose[.-]*.{yml,yaml}', '**/*.compose.{yml,yaml}'),
  ],
  yaml: [...byLanguage('yaml'), ...byPattern('**/*.{yml,yaml}')],
  json: [...byLanguage('json', 'jsonc'), ...byPattern('**/*.{json,jsonc,json5}')],
  dockerfile: [...byLanguage('dockerfile'), ...byPattern('**/{Dockerfile,Containerfile,dockerfile,containerfile}{,.*,-*}', '**/*.{dockerfile,containerfile}')],
  nginx: [...byLanguage('nginx'), ...byPattern('**/nginx.conf', '**/nginx/**/*.conf')],
  apache: [...byLanguage('apacheconf'), ...byPattern('**/{httpd,apache2}.conf', '**/.htaccess', '**/{apache,apache2,httpd}/**/*.conf')],
  caddy: [...byLanguage('caddyfile'), ...byPattern('**/Caddyfile{,.*}')],
  properties: [...byLanguage('properties', 'java-properties'), ...byPattern('**/*.properties')],
  toml: [...byLanguage('toml'), ...byPattern('**/*.toml')],
  ini: [...byLanguage('ini'), ...byPattern('**/*.{ini,cfg,cnf,conf}')],
  shell: [...byLanguage('shellscript'), ...byPattern('**/*.{sh,bash,zsh,ksh}', '**/{Procfile,.envrc,.bashrc,.zshrc,.profile}')],
  makefile: [...byLanguage('makefile'), ...byPattern('**/{Makefile,makefile,GNUmakefile,BSDmakefile}', '**/*.mk')],
  javascript: [...byLanguage('javascript', 'javascriptreact'), ...byPattern('**/*.{js,mjs,cjs,jsx}')],
  typescript: [...byLanguage('typescript', 'typescriptreact'), ...byPattern('**/*.{ts,mts,cts,tsx}')],
  python: [...byLanguage('python'), ...byPattern('**/*.{py,pyw}')],
  go: [...byLanguage('go'), ...byPattern('**/*.go')],
  java: [...byLanguage('java', 'kotlin', 'groovy', 'scala'), ...byPattern('**/*.{java,kt,kts,groovy,gradle,scala}')],
  csharp: [...byLanguage('csharp'), ...byPattern('**/*.cs')],
  rust: [...byLanguage('rust'), ...byPattern('**/*.rs')],
  ruby: [...byLanguage('ruby'), ...byPattern('**/*.{rb,rake}', '**/{Gemfile,Rakefile,Vagrantfile,Guardfile}')],
  hcl: [...byLanguage('terraform', 'hcl'), ...byPattern('**/*.{tf,tfvars,hcl,nomad}')],
  markdown: [...byLanguage('markdown', 'mdx'), ...byPattern('**/*.{md,markdown,mdx}')],
  other: SCHEMES.map((scheme) => ({ scheme })),
};

/** The document selector for a set of kinds (empty when none is enabled). */
export function portDocumentSelector(kinds: Iterable<PortFileKind>): vscode.DocumentFilter[] {
  const wanted = new Set(kinds);
  // With `other`, every file is selected anyway: the narrower filters would only repeat it.
  if (wanted.has('other')) {
    return [...FILTERS.other];
  }
  return PORT_FILE_KINDS.filter((k) => wanted.has(k)).flatMap((k) => FILTERS[k]);
}

/** What the provider needs of a document to pick its rules (a `vscode.TextDocument` has all of it). */
export interface DocumentIdentity {
  readonly fileName: string;
  readonly languageId: string;
  readonly uri: { readonly scheme: string };
}

/**
 * The rules to read `document` with, given the enabled kinds: its own kind when enabled; otherwise, when
 * `other` is enabled, only URLs and `address:port` (as in any file); otherwise none. Binary and lock files
 * get none. Only `file` and `untitled` documents are read (not git versions, output channels, settings).
 */
export function documentKind(document: DocumentIdentity, enabled: ReadonlySet<PortFileKind>): PortFileKind | undefined {
  if (document.uri.scheme !== 'file' && document.uri.scheme !== 'untitled') {
    return undefined;
  }
  const kind = fileKindOf(document.fileName, document.languageId);
  if (kind === undefined) {
    return undefined;
  }
  if (enabled.has(kind)) {
    return kind;
  }
  return enabled.has('other') ? 'other' : undefined;
}
