// The port hover as the workbench renders it: a hostile process title shows as text (no link, image or
// HTML element comes from it), and the only links are Port Inspector's own commands.
import * as assert from 'node:assert/strict';
import { closeAfterEachTest, startListener } from '../support/listeners';
import { until } from '../support/poll';
import { session } from './support/session';

const HOSTILE_TITLE = '[x](command:workbench.action.quit) <img src=x>';

describe('Port hover', () => {
  closeAfterEachTest();

  afterEach(async () => {
    const { workbench } = session();
    await workbench.page.mouse.move(0, 0);
    await workbench.runCommand('View: Revert and Close Editor');
    await workbench.reset();
  });

  it('renders a hostile process title as text, with only Port Inspector links', async () => {
    const { workbench } = session();
    const page = workbench.page;
    const listener = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }], title: HOSTILE_TITLE });
    const port = String(listener.ports[0]);
    await workbench.runCommand('Port Inspector: Refresh');
    await workbench.runCommand('File: New Untitled Text File');
    await page.locator('.editor-instance .monaco-editor.focused').first().waitFor();
    // An untitled plain-text file: only URLs are read there, the "any file" rule.
    await page.keyboard.type(`API at http://localhost:${port}/api`);
    await page.keyboard.press('Escape');
    const line = page.locator('.editor-instance .monaco-editor .view-line', { hasText: `localhost:${port}` }).first();
    await line.waitFor();

    const hover = page.locator('.monaco-hover:not(.hidden):visible').first();
    const text = await until(async () => {
      // The middle of the port's digits, measured in the rendered line.
      const box = await line.evaluate((el, digits) => {
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const at = (node.textContent ?? '').indexOf(`:${digits}/`);
          if (at !== -1) {
            const range = document.createRange();
            range.setStart(node, at + 1);
            range.setEnd(node, at + 1 + digits.length);
            const r = range.getBoundingClientRect();
            return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
          }
        }
        return undefined;
      }, port);
      if (!box) {
        return undefined;
      }
      await page.mouse.move(0, 0);
      await page.mouse.move(box.x, box.y);
      await hover.waitFor({ timeout: 3000 });
      const t = (await hover.innerText()).trim();
      return t.includes(`${port}/tcp`) && t.includes(`pid ${listener.pid}`) ? t : undefined;
    }, { what: 'the port hover' });
    // The hostile text is shown, literally, as text.
    assert.ok(text.includes('[x](command:workbench.action.quit)'), text);
    assert.ok(text.includes('<img src=x>'), text);
    // No element came from it: no image, and every link in Port Inspector's part of the hover (the
    // workbench adds its own "Follow link" part for the URL) is one of Port Inspector's commands.
    assert.equal(await hover.locator('img').count(), 0);
    const ours = hover.locator('.rendered-markdown', { hasText: `${port}/tcp` }).first();
    const links = await ours.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('data-href') ?? a.getAttribute('href') ?? ''));
    assert.ok(links.length >= 3, `links: ${JSON.stringify(links)}`);
    for (const href of links) {
      assert.match(href, /^command:portInspector\.\w+/, `foreign link ${href}`);
    }
    assert.ok(links.some((h) => h.startsWith('command:portInspector.freePort')), JSON.stringify(links));
    await workbench.screenshot('port-hover-hostile');
  });
});
