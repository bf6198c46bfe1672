// User labels for ports: the `portInspector.labels` setting, e.g. { "3000": "web", "5432-5433": "db" }.
// Settings are hand-edited JSON, so every entry is checked on its own: one bad entry is reported and
// skipped, the rest still apply.

/** One validated label: ports `lo`–`hi` (equal for a single port) are shown as `label`. */
export interface LabelRule {
  readonly lo: number;
  readonly hi: number;
  readonly label: string;
}

/** The outcome of {@link parseLabels}: the good rules, and one plain message per rejected entry. */
export interface ParsedLabels {
  labels: LabelRule[];
  errors: string[];
}

/** Labels longer than this are cut (with an ellipsis): they are shown beside ports in a narrow tree. */
export const LABEL_MAX_LENGTH = 40;

const SETTING = 'portInspector.labels';
const KEY_PATTERN = /^(\d+)(?:\s*-\s*(\d+))?$/;

function cleanLabel(value: string): string {
  // Control characters (a pasted newline or tab) would break a one-line tree label.
  const text = value.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return text.length > LABEL_MAX_LENGTH ? `${text.slice(0, LABEL_MAX_LENGTH - 1).trimEnd()}…` : text;
}

function describe(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

/**
 * Validates the `portInspector.labels` setting. Keys are a port (`"3000"`) or an inclusive range
 * (`"5432-5433"`) within 1–65535, low end first; values are non-empty strings, trimmed, with control
 * characters turned into spaces and cut to {@link LABEL_MAX_LENGTH}. A missing setting (undefined or
 * null) is no labels and no error. Never throws.
 */
export function parseLabels(value: unknown): ParsedLabels {
  const labels: LabelRule[] = [];
  const errors: string[] = [];
  if (value === undefined || value === null) {
    return { labels, errors };
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    errors.push(`${SETTING} must be an object mapping ports to names, like {"3000": "web"}; got ${describe(value)}.`);
    return { labels, errors };
  }
  const seen = new Map<string, string>();
  for (const [rawKey, rawLabel] of Object.entries(value as Record<string, unknown>)) {
    const shown = JSON.stringify(rawKey);
    const match = KEY_PATTERN.exec(rawKey.trim());
    if (!match) {
      errors.push(`${SETTING}: ${shown} is not a port or a range like "5432-5433"; ignored.`);
      continue;
    }
    const lo = Number(match[1]);
    const hi = match[2] === undefined ? lo : Number(match[2]);
    if (lo < 1 || hi < 1 || lo > 65535 || hi > 65535) {
      errors.push(`${SETTING}: ${shown} is outside the port range 1–65535; ignored.`);
      continue;
    }
    if (lo > hi) {
      errors.push(`${SETTING}: ${shown} has its low end after its high end (write "${hi}-${lo}"); ignored.`);
      continue;
    }
    if (typeof rawLabel !== 'string') {
      errors.push(`${SETTING}: the label for ${shown} must be text; got ${describe(rawLabel)}; ignored.`);
      continue;
    }
    const label = cleanLabel(rawLabel);
    if (!label) {
      errors.push(`${SETTING}: the label for ${shown} is empty; ignored.`);
      continue;
    }
    const span = `${lo}-${hi}`;
    const earlier = seen.get(span);
    if (earlier !== undefined) {
      errors.push(`${SETTING}: ${shown} repeats ${JSON.stringify(earlier)}; the first one is kept.`);
      continue;
    }
    seen.set(span, rawKey);
    labels.push({ lo, hi, label });
  }
  return { labels, errors };
}

/**
 * The label of the most specific rule covering `port`: a single port beats a range, a narrower range
 * beats a wider one, and among equally wide ranges the first rule wins. Undefined when none covers it.
 */
export function labelFor(port: number, rules: readonly LabelRule[]): string | undefined {
  let best: LabelRule | undefined;
  for (const rule of rules) {
    if (port >= rule.lo && port <= rule.hi && (!best || rule.hi - rule.lo < best.hi - best.lo)) {
      best = rule;
    }
  }
  return best?.label;
}
