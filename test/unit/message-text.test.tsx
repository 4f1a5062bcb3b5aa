/**
 * Message formatting: the Markdown subset becomes elements, and nothing a sender writes becomes
 * HTML, a script or a link to anything but http(s) and mail.
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { mentionPattern } from '../../src-shared/protocol/mentions';
import {
  MessageText,
  parseBlocks,
  plainText,
  safeHref,
} from '../../src-renderer/features/chats/MessageText';

const html = (body: string) => renderToStaticMarkup(<MessageText body={body} />);

describe('message text', () => {
  it('renders bold, italic, inline code, code blocks and quotes', () => {
    expect(html('**ship** it *today* or _tomorrow_, run `npm test`')).toBe(
      '<span class="message-line"><strong>ship</strong> it <em>today</em> or <em>tomorrow</em>, ' +
        'run <code>npm test</code></span>',
    );
    expect(html('**bold with *italic* inside**')).toBe(
      '<span class="message-line"><strong>bold with <em>italic</em> inside</strong></span>',
    );
    expect(parseBlocks('look:\n```ts\nconst a = **1**;\n```\n> she said\n> twice\nok')).toEqual([
      { kind: 'text', text: 'look:' },
      { kind: 'code', text: 'const a = **1**;' },
      { kind: 'quote', text: 'she said\ntwice' },
      { kind: 'text', text: 'ok' },
    ]);
    expect(html('```\n<b>x</b> *y*\n```')).toBe(
      '<pre class="message-code"><code>&lt;b&gt;x&lt;/b&gt; *y*</code></pre>',
    );
  });

  it('leaves ordinary punctuation alone', () => {
    for (const plain of ['snake_case_name', '2 * 3 * 4', 'a ** b', '_ _', 'x*y*z', '`', '> '])
      expect(html(plain).replace(/<[^>]+>/g, '')).toBe(
        plain.replace(/^> ?/, '').replace(/&/g, '&amp;').replace(/>/g, '&gt;'),
      );
    expect(html('an unclosed ``` fence')).toBe(
      '<span class="message-line">an unclosed ``` fence</span>',
    );
  });

  it('links http(s) addresses and mail, opening outside the app', () => {
    expect(html('see https://example.org/a?b=1 or mail anna@example.org')).toBe(
      '<span class="message-line">see <a href="https://example.org/a?b=1" target="_blank" ' +
        'rel="noopener noreferrer" data-testid="chat-message-link">https://example.org/a?b=1</a> ' +
        'or mail <a href="mailto:anna@example.org" target="_blank" rel="noopener noreferrer" ' +
        'data-testid="chat-message-link">anna@example.org</a></span>',
    );
    expect(html('**www.example.org**')).toContain('<strong><a href="http://www.example.org/"');
  });

  it('keeps scripts, HTML, entities and javascript: links inert', () => {
    const hostile = [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '[click](javascript:alert(1))',
      'javascript:alert(1)',
      '&lt;b&gt; &amp; &#x3C;script&#x3E;',
      '<a href="javascript:alert(1)">x</a>',
      'data:text/html;base64,PHNjcmlwdD4=',
      '**<iframe src="https://evil.example">**',
    ];
    for (const body of hostile) {
      const out = html(body);
      expect(out).not.toMatch(/<(script|img|iframe|b)\b/);
      expect(out).not.toMatch(/href="(javascript|data):/i);
      for (const tag of out.match(/<[^>]+>/g) ?? []) expect(tag).not.toMatch(/\son\w+=/);
      // What is shown is exactly what was written.
      const shown = out
        .replace(/<[^>]+>/g, '')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&#x27;/g, "'")
        .replace(/&amp;/g, '&');
      expect(shown).toBe(body.replace(/\*\*/g, ''));
    }
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('file:///etc/passwd')).toBeNull();
    expect(safeHref('https://example.org')).toBe('https://example.org/');
  });

  it('previews a message as one line of plain text', () => {
    expect(plainText('**Release** at _noon_, run `npm test`\n> as agreed')).toBe(
      'Release at noon, run npm test as agreed',
    );
    expect(plainText('```\nconst a = 1;\n```')).toBe('const a = 1;');
    expect(plainText('snake_case and 2 * 3 * 4 stay')).toBe('snake_case and 2 * 3 * 4 stay');
  });

  it('marks mentions of members, mine more strongly, and nothing inside words', () => {
    const mentions = { pattern: mentionPattern(['Dana', 'Eve Stone']), me: 'Dana' };
    expect(
      renderToStaticMarkup(
        <MessageText body={'@Dana and @Eve Stone, not me@Dana.org'} mentions={mentions} />,
      ),
    ).toBe(
      '<span class="message-line"><span class="mention me" data-testid="chat-mention">@Dana</span>' +
        ' and <span class="mention" data-testid="chat-mention">@Eve Stone</span>, not ' +
        '<a href="mailto:me@Dana.org" target="_blank" rel="noopener noreferrer" ' +
        'data-testid="chat-message-link">me@Dana.org</a></span>',
    );
  });
});
