// Banners above the summary: a scan that fails, a request the host refused. One per id, each dismissable;
// the scan banner offers a retry.
import { h, replaceChildren } from './dom';
import { icon } from './icons';

export type BannerTone = 'error' | 'warning';

export class Banners {
  readonly element = h('div', { class: 'banners', attrs: { id: 'banners', role: 'alert' } });
  private readonly texts = new Map<string, { text: string; tone: BannerTone }>();

  constructor(private readonly retryScan: () => void) {}

  showScanError(error: string | undefined): void {
    this.set('scan', error === undefined ? undefined : `Cannot list ports: ${error}`);
  }

  /** Shows, replaces or (with `text` undefined) removes the banner `id`. */
  set(id: string, text: string | undefined, tone: BannerTone = 'error'): void {
    if (text === undefined) {
      this.texts.delete(id);
    } else {
      this.texts.set(id, { text, tone });
    }
    replaceChildren(
      this.element,
      ...[...this.texts].map(([key, b]) => {
        const dismiss = h('button', { class: 'icon-button', title: 'Dismiss', attrs: { type: 'button', 'aria-label': 'Dismiss' } }, icon('close'));
        dismiss.addEventListener('click', () => this.set(key, undefined));
        const retry = key === 'scan' && h('button', { class: 'text-button', text: 'Retry', attrs: { type: 'button' } });
        if (retry) {
          retry.addEventListener('click', () => this.retryScan());
        }
        return h('div', { class: `banner banner-${b.tone}`, attrs: { 'data-banner': key } }, icon(b.tone === 'error' ? 'error' : 'warning'), h('span', { class: 'banner-text', text: b.text }), retry, dismiss);
      }),
    );
  }
}
