// Tiny DOM builders. Text only ever goes in through `textContent` or text nodes, attributes through
// `setAttribute`: no HTML string is ever parsed, so process names and command lines stay text.

type Child = Node | string | undefined | false;

export interface Props {
  class?: string;
  text?: string;
  title?: string;
  attrs?: Record<string, string | number | boolean | undefined>;
}

function apply(el: Element, props: Props | undefined, children: Child[]): void {
  if (props?.class) {
    el.setAttribute('class', props.class);
  }
  if (props?.title !== undefined) {
    el.setAttribute('title', props.title);
  }
  for (const [name, value] of Object.entries(props?.attrs ?? {})) {
    if (value !== undefined && value !== false) {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  if (props?.text !== undefined) {
    el.textContent = props.text;
  }
  for (const child of children) {
    if (child !== undefined && child !== false) {
      el.append(child);
    }
  }
}

/** An HTML element. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  apply(el, props, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element. */
export function s<K extends keyof SVGElementTagNameMap>(tag: K, props?: Props, ...children: Child[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  apply(el, props, children);
  return el;
}

/** Replaces every child of `el`. */
export function replaceChildren(el: Element, ...children: Child[]): void {
  el.replaceChildren(...children.filter((c): c is Node | string => c !== undefined && c !== false));
}

/** `1 socket`, `2 sockets`. */
export function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}
