// Small line icons drawn for the dashboard. The codicon font (@vscode/codicons) is not a dependency of
// this project and the workbench's own font cannot be loaded from a webview, so these are simple inline
// SVG shapes in the codicon spirit (16×16, 1px strokes, `currentColor`, so they follow the theme).
import { s } from './dom';

export type IconName =
  | 'stop'
  | 'pulse'
  | 'globe'
  | 'copy'
  | 'pid'
  | 'terminal'
  | 'reveal'
  | 'refresh'
  | 'chevronRight'
  | 'chevronDown'
  | 'arrowUp'
  | 'arrowDown'
  | 'warning'
  | 'error'
  | 'check'
  | 'close'
  | 'question'
  | 'dash'
  | 'commandLine'
  | 'checklist'
  | 'history';

/** Each icon: SVG path data drawn with a stroke, and optional filled shapes. */
const PATHS: Record<IconName, { stroke?: string; fill?: string }> = {
  stop: { stroke: 'M4.5 4.5h7v7h-7z' },
  pulse: { stroke: 'M1.5 8.5h3l1.5-4 3 8 1.5-4h4' },
  globe: { stroke: 'M8 1.5a6.5 6.5 0 1 0 0 13a6.5 6.5 0 1 0 0-13M1.5 8h13M8 1.5c-2.5 2.5-2.5 10.5 0 13M8 1.5c2.5 2.5 2.5 10.5 0 13' },
  copy: { stroke: 'M5.5 5.5h8v8h-8zM3.5 10.5h-1v-8h8v1' },
  pid: { stroke: 'M2.5 3.5h11v9h-11zM5 6.5h2M5 9.5h6' },
  terminal: { stroke: 'M1.5 2.5h13v11h-13zM4 6l2.5 2L4 10M8 10.5h4' },
  reveal: { stroke: 'M2.5 3.5h2M6.5 3.5h7M4.5 8h2M8.5 8h5M4.5 12.5h2M8.5 12.5h5M3.5 4v8.5h1M3.5 8h1' },
  refresh: { stroke: 'M13 8a5 5 0 1 1-1.5-3.6M11.5 1.5v3h-3' },
  chevronRight: { stroke: 'M6 3.5l4.5 4.5L6 12.5' },
  chevronDown: { stroke: 'M3.5 6l4.5 4.5L12.5 6' },
  arrowUp: { stroke: 'M8 13V3M4 7l4-4 4 4' },
  arrowDown: { stroke: 'M8 3v10M4 9l4 4 4-4' },
  warning: { stroke: 'M8 1.8L14.7 13.8H1.3zM8 6v4', fill: 'M7.3 11.3h1.4v1.4H7.3z' },
  error: { stroke: 'M8 1.5a6.5 6.5 0 1 0 0 13a6.5 6.5 0 1 0 0-13M5.5 5.5l5 5M10.5 5.5l-5 5' },
  check: { stroke: 'M2.5 8.5l3.5 3.5 7.5-8' },
  close: { stroke: 'M3.5 3.5l9 9M12.5 3.5l-9 9' },
  question: { stroke: 'M8 1.5a6.5 6.5 0 1 0 0 13a6.5 6.5 0 1 0 0-13M6 6.2a2 2 0 1 1 2.6 1.9c-.4.2-.6.5-.6.9v.8', fill: 'M7.3 10.8h1.4v1.4H7.3z' },
  dash: { stroke: 'M4 8h8' },
  checklist: { stroke: 'M2 4l1.2 1.2L5.5 3M2 9l1.2 1.2L5.5 8M7.5 4h6.5M7.5 9h6.5M7.5 13h6.5' },
  history: { stroke: 'M2.2 8a5.8 5.8 0 1 0 1.7-4.1M2 1.8v2.6h2.6M8 4.8V8l2.2 1.6' },
  commandLine: { stroke: 'M1.5 3.5h13v9h-13zM4 6.5l2 1.5-2 1.5M7.5 10h3' },
};

/** An icon element, hidden from screen readers (the control around it carries the label). */
export function icon(name: IconName, extraClass = ''): SVGSVGElement {
  const { stroke, fill } = PATHS[name];
  return s(
    'svg',
    { class: `icon ${extraClass}`.trim(), attrs: { viewBox: '0 0 16 16', width: 16, height: 16, 'aria-hidden': 'true', focusable: 'false' } },
    stroke && s('path', { class: 'icon-stroke', attrs: { d: stroke } }),
    fill && s('path', { class: 'icon-fill', attrs: { d: fill } }),
  );
}
