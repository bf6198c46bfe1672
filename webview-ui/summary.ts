// The summary above the table: counts by protocol and range, exposure with the risky listeners called
// out, TCP states, the ephemeral-port gauge and the processes holding the most sockets. Charts are small
// inline SVGs coloured by CSS classes that read `--vscode-charts-*` theme colours.
import type { DashboardSummary } from '../src/shared/protocol';
import { h, plural, replaceChildren, s } from './dom';
import { icon } from './icons';

export interface SummaryActions {
  /** Shows only this port in the table. */
  filterPort(port: number): void;
  /** Shows only this pid's sockets in the table. */
  filterPid(pid: number): void;
}

interface Bar {
  label: string;
  value: number;
  /** CSS class picking the bar's theme colour. */
  tone: string;
  title?: string;
  onClick?: () => void;
}

const RANGE_LABELS = { 'well-known': 'Well-known', registered: 'Registered', dynamic: 'Dynamic' } as const;

function barList(bars: readonly Bar[], label: string, max = Math.max(1, ...bars.map((b) => b.value))): HTMLElement {
  return h(
    'ul',
    { class: 'bars', attrs: { 'aria-label': label } },
    ...bars.map((bar) => {
      const pct = Math.max(bar.value > 0 ? 2 : 0, Math.round((bar.value / max) * 100));
      const graphic = s(
        'svg',
        { class: 'bar', attrs: { viewBox: '0 0 100 8', preserveAspectRatio: 'none', 'aria-hidden': 'true', focusable: 'false' } },
        s('rect', { class: 'bar-track', attrs: { x: 0, y: 0, width: 100, height: 8, rx: 1 } }),
        s('rect', { class: `bar-fill ${bar.tone}`, attrs: { x: 0, y: 0, width: pct, height: 8, rx: 1 } }),
      );
      const content = [h('span', { class: 'bar-label', text: bar.label }), graphic, h('span', { class: 'bar-value', text: bar.value.toLocaleString() })];
      const name = `${bar.label}: ${bar.value.toLocaleString()}`;
      const row = bar.onClick
        ? h('button', { class: 'bar-row clickable', title: bar.title ?? name, attrs: { type: 'button', 'aria-label': bar.title ?? name } }, ...content)
        : h('div', { class: 'bar-row', title: bar.title ?? name, attrs: { 'aria-label': name, role: 'img' } }, ...content);
      if (bar.onClick) {
        row.addEventListener('click', bar.onClick);
      }
      return h('li', {}, row);
    }),
  );
}

function card(title: string, ...children: Array<Node | string | undefined | false>): HTMLElement {
  const id = `card-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  return h('section', { class: 'card', attrs: { 'aria-labelledby': id } }, h('h2', { text: title, attrs: { id } }), ...children);
}

function countsCard(sum: DashboardSummary): HTMLElement {
  return card(
    'Listening',
    h('p', { class: 'big' }, h('span', { class: 'big-number', text: sum.total.toLocaleString() }), sum.total === 1 ? ' socket' : ' sockets'),
    barList(
      [
        { label: 'TCP', value: sum.byProtocol.tcp, tone: 'tone-blue' },
        { label: 'UDP', value: sum.byProtocol.udp, tone: 'tone-purple' },
      ],
      'Sockets by protocol',
      sum.total,
    ),
    barList(
      (['well-known', 'registered', 'dynamic'] as const).map((r) => ({ label: RANGE_LABELS[r], value: sum.byRange[r], tone: 'tone-green' })),
      'Sockets by port range',
      sum.total,
    ),
    sum.hiddenOwners > 0 && h('p', { class: 'note', text: `${plural(sum.hiddenOwners, 'socket has', 'sockets have')} an owner Port Inspector cannot see.` }),
  );
}

function exposureCard(sum: DashboardSummary, actions: SummaryActions): HTMLElement {
  const risky = sum.risky.slice(0, 5);
  return card(
    'Exposure',
    h(
      'p',
      { class: 'big' },
      h('span', { class: `big-number ${sum.exposed > 0 ? 'tone-text-warning' : ''}`, text: sum.exposed.toLocaleString() }),
      ' reachable from the network',
    ),
    sum.riskyTotal === 0
      ? h('p', { class: 'note', text: 'No database, debugger or plaintext service faces the network.' })
      : h(
          'ul',
          { class: 'callouts', attrs: { 'aria-label': `${plural(sum.riskyTotal, 'risky listener', 'risky listeners')}` } },
          ...risky.map((r) => {
            const button = h(
              'button',
              { class: `callout risk-${r.level}`, title: r.reason, attrs: { type: 'button' } },
              icon(r.level === 'high' ? 'error' : 'warning', `risk-icon risk-${r.level}`),
              h('span', { class: 'callout-port', text: `${r.port}/${r.protocol}` }),
              h('span', { class: 'callout-what', text: r.process ? `${r.process} on ${r.address}` : `on ${r.address}` }),
              h('span', { class: 'callout-reason', text: r.reason }),
            );
            button.setAttribute('aria-label', `${r.level === 'high' ? 'High risk' : 'Risk'}: ${r.reason} Show port ${r.port} in the table.`);
            button.addEventListener('click', () => actions.filterPort(r.port));
            return h('li', {}, button);
          }),
          sum.riskyTotal > risky.length && h('li', { class: 'note', text: `and ${sum.riskyTotal - risky.length} more (sort by Exposure).` }),
        ),
    h('p', { class: 'note', text: 'Bind what only this machine uses to 127.0.0.1: fewer open ports, less to attack.' }),
  );
}

function statesCard(sum: DashboardSummary): HTMLElement {
  if (sum.tcpStates.length === 0) {
    return card('TCP states', h('p', { class: 'note', text: 'Not reported on this system.' }));
  }
  const top = sum.tcpStates.slice(0, 6);
  return card(
    'TCP states',
    barList(
      top.map((t) => ({ label: t.state, value: t.count, tone: t.state === 'TIME_WAIT' ? 'tone-orange' : t.state === 'LISTEN' ? 'tone-green' : 'tone-blue' })),
      'TCP connections by state',
    ),
  );
}

/** Semicircle gauge of ephemeral-port use: the early warning for port exhaustion. */
function gauge(used: number, size: number): HTMLElement {
  const ratio = size > 0 ? Math.min(1, used / size) : 0;
  const pct = Math.round(ratio * 1000) / 10;
  const tone = ratio >= 0.8 ? 'tone-red' : ratio >= 0.5 ? 'tone-orange' : 'tone-green';
  const arc = 'M10 60 A50 50 0 0 1 110 60';
  const svg = s(
    'svg',
    { class: 'gauge', attrs: { viewBox: '0 0 120 68', 'aria-hidden': 'true', focusable: 'false' } },
    s('path', { class: 'gauge-track', attrs: { d: arc, pathLength: 100 } }),
    s('path', { class: `gauge-value ${tone}`, attrs: { d: arc, pathLength: 100, 'stroke-dasharray': `${Math.max(ratio > 0 ? 0.5 : 0, ratio * 100)} 100` } }),
    s('text', { class: 'gauge-text', text: `${pct}%`, attrs: { x: 60, y: 56, 'text-anchor': 'middle' } }),
  );
  return h(
    'div',
    {
      class: 'gauge-box',
      attrs: {
        role: 'meter',
        'aria-label': 'Ephemeral ports in use',
        'aria-valuemin': 0,
        'aria-valuemax': size,
        'aria-valuenow': used,
        'aria-valuetext': `${used.toLocaleString()} of ${size.toLocaleString()} (${pct}%)`,
      },
    },
    svg,
  );
}

function ephemeralCard(sum: DashboardSummary): HTMLElement {
  const e = sum.ephemeral;
  if (!e) {
    return card(
      'Ephemeral ports',
      h('p', { class: 'note', text: 'This system does not report its ephemeral range.' }),
      sum.timeWait !== undefined && h('p', { text: `TIME_WAIT: ${sum.timeWait.toLocaleString()}` }),
    );
  }
  return card(
    'Ephemeral ports',
    gauge(e.used, e.size),
    h('p', { class: 'gauge-caption', text: `${e.used.toLocaleString()} of ${e.size.toLocaleString()} in use (${e.low}–${e.high})` }),
    sum.timeWait !== undefined && h('p', { class: 'gauge-caption', text: `TIME_WAIT: ${sum.timeWait.toLocaleString()}` }),
  );
}

function processesCard(sum: DashboardSummary, actions: SummaryActions): HTMLElement {
  if (sum.topProcesses.length === 0) {
    return card('Top processes', h('p', { class: 'note', text: 'No process owns a visible socket.' }));
  }
  return card(
    'Top processes',
    barList(
      sum.topProcesses.slice(0, 5).map((p) => ({
        label: `${p.name} ${p.pid}`,
        value: p.count,
        tone: 'tone-blue',
        title: `${p.name} (pid ${p.pid}): ${plural(p.count, 'socket', 'sockets')}. Show only its sockets.`,
        onClick: () => actions.filterPid(p.pid),
      })),
      'Processes holding the most sockets',
    ),
  );
}

/** Renders the summary into `container` (replacing what was there). */
function renderSummary(container: HTMLElement, sum: DashboardSummary | undefined, actions: SummaryActions): void {
  if (!sum) {
    replaceChildren(container);
    return;
  }
  replaceChildren(container, countsCard(sum), exposureCard(sum, actions), statesCard(sum), ephemeralCard(sum), processesCard(sum, actions));
}

/** The summary section. Redrawn only when a number changes, so a focused chart entry keeps its focus
 *  across refreshes. */
export class SummaryPane {
  readonly element = h('div', { class: 'summary', attrs: { id: 'summary', 'aria-label': 'Summary' } });
  /** The summary as last drawn, without its time stamps. */
  private drawn = '';

  constructor(private readonly actions: SummaryActions) {}

  show(sum: DashboardSummary | undefined): void {
    const drawn = sum ? JSON.stringify({ ...sum, takenAt: 0, durationMs: 0 }) : '';
    if (drawn !== this.drawn) {
      this.drawn = drawn;
      renderSummary(this.element, sum, this.actions);
    }
  }
}
