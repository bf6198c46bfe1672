// Every escaper of src/core/displayText.ts against the payloads a hostile server, process or file can send.
// The link check uses VS Code's own rule for notification messages (`parseLinkedText` in
// src/vs/base/common/linkedText.ts): that is what turns `[label](command:…)` into a clickable command.
import * as assert from 'node:assert/strict';
import { htmlText, iconSafeText, markdownText, notificationLines, notificationText, plainText, unlinkText } from '../../src/core/displayText';

/** VS Code's link pattern for notifications (linkedText.ts), verbatim. */
const VSCODE_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;

/** Characters that must never reach a surface as they are. */
const INVISIBLE = ['\u061c', '\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u2028', '\u2029', '\u202a', '\u202e', '\u2066', '\u2069', '\ufeff', '\u00ad', '\u2060'];

export const HOSTILE: readonly string[] = [
  '[Docs](command:workbench.action.files.newUntitledFile "https://example.com")',
  'SSH-2.0-OpenSSH [click](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22id%5Cn%22%7D)',
  '220 smtp [x](https://evil.example/) ready',
  '[a](file:///etc/passwd)',
  '[a]\u200b(command:x)',
  '[a]\u2028(command:x)',
  '[a]\u061c(command:x)',
  '[[nested](command:a)](command:b)',
  '$(bug) $(loading~spin) \\$(x)',
  '\u202eexe.txt\u2066\u2069',
  '\x1b[31mred\x1b[0m\x07',
];

describe('displayText: hostile text on every medium', () => {
  it('drops bidi, invisible and separator characters, U+061C, U+200B and U+2028 included', () => {
    for (const c of INVISIBLE) {
      for (const escape of [plainText, notificationText, iconSafeText, markdownText, htmlText]) {
        const out = escape(`a${c}b`);
        assert.ok(!out.includes(c), `${escape.name} kept U+${c.charCodeAt(0).toString(16)}: ${JSON.stringify(out)}`);
      }
    }
  });

  it('no notification text ever parses as a VS Code link', () => {
    for (const payload of HOSTILE) {
      const out = notificationText(payload, 1000);
      assert.equal(out.match(VSCODE_LINK), null, `${JSON.stringify(payload)} → ${JSON.stringify(out)}`);
      // The words stay readable: only a space was added.
      assert.ok(out.includes('Docs') || !payload.includes('Docs'));
    }
    // Two pieces escaped apart and joined: the seam applies unlinkText to the whole message.
    const joined = unlinkText(`${notificationText('[Docs]')}${notificationText('(command:x)')}`);
    assert.equal(joined.match(VSCODE_LINK), null);
    const lines = notificationLines('  [a](command:x)\n[b](https://x.example)', 200);
    assert.equal(lines.match(VSCODE_LINK), null);
    assert.ok(lines.startsWith('  '), 'indentation kept');
  });

  it('status bar and quick pick text never renders an icon from outside', () => {
    // VS Code's label renderer: `\$(` stays literal, `$(name)` becomes an icon.
    const ICON = /(?<!\\)\$\([A-Za-z0-9-]+(?:~[A-Za-z]+)?\)/;
    for (const payload of HOSTILE) {
      assert.ok(!ICON.test(iconSafeText(payload, 1000)), iconSafeText(payload, 1000));
    }
  });
});

describe('probe text: UTF-8 banners and an over-long status line', () => {
  it('decodes UTF-8 (bad bytes as U+FFFD), and calls a status line past the cap too long, not non-HTTP', async () => {
    const { firstLine, looksLikeText } = await import('../../src/inspector/probe/text');
    const { parseHttpHead, summarizeHttp, HTTP_HEAD_CAP } = await import('../../src/inspector/probe/http');
    assert.equal(firstLine(Buffer.from('220 Grüße aus Köln\r\n', 'utf8')), '220 Grüße aus Köln');
    assert.equal(firstLine(Buffer.from([0x32, 0x32, 0x30, 0x20, 0xff, 0x41])), '220 \ufffdA');
    assert.ok(looksLikeText(Buffer.from('220 Привет, это почтовый сервер\r\n', 'utf8')));
    const long = Buffer.from(`HTTP/1.1 200 ${'x'.repeat(HTTP_HEAD_CAP)}`, 'latin1').subarray(0, HTTP_HEAD_CAP);
    const head = parseHttpHead(long);
    assert.ok(head);
    assert.equal(head.status, 200);
    assert.match(summarizeHttp(head, false), /status line too long/);
  });
});
