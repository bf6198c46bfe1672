// Small Markdown helpers shared by the report's steps. Everything untrusted goes through markdownText or
// markdownCode (src/core/displayText.ts); these helpers only add the report's own syntax around it.
import { markdownCode, markdownText } from '../../core/displayText';
import type { StepVerdict } from './types';
import { hostPort } from '../../core/format';

/** The icon of a verdict. */
export const VERDICT_ICONS: Readonly<Record<StepVerdict, string>> = {
  ok: '✅',
  warn: '⚠️',
  fail: '❌',
  info: 'ℹ️',
};

/** An inline code span of untrusted text. */
export function code(text: string, max = 200): string {
  return `\`${markdownCode(text, max)}\``;
}

/** Untrusted text as inert Markdown. */
export function md(text: string, max = 400): string {
  return markdownText(text, max);
}

/** `127.0.0.1:3000` / `[::1]:3000` as a code span. */
export function addressCode(address: string, port: number): string {
  return code(hostPort(address, port), 80);
}

/** `s` when `n` is not 1. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

