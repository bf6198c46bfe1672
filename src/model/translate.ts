// User-facing text built by pure modules goes through a `Translate` function: the extension passes
// `vscode.l10n.t` (pure folders cannot import vscode), the CLI and the tests use the English default.

/** Formats a message with `{0}`-style placeholders, like `vscode.l10n.t(message, ...args)`. */
export type Translate = (message: string, ...args: Array<string | number>) => string;

/** The untranslated default: substitutes `{n}` placeholders with `args[n]`. */
export const formatMessage: Translate = (message, ...args) =>
  message.replace(/\{(\d+)\}/g, (whole, index: string) => (Number(index) < args.length ? String(args[Number(index)]) : whole));
