/**
 * A message's text with the small Markdown subset people type in chats: **bold**, *italic* or
 * _italic_, `inline code`, ``` code blocks ```, "> " quotes, and links found by linkifyjs.
 * Everything becomes React elements and text nodes: no HTML from a message is ever parsed, so
 * `<script>`, entities and `javascript:` stay the characters they are. Links are http(s) or
 * mailto only and open outside the app (Electron's window-open handler sends them to the system
 * browser; the browser host opens a new tab with no opener).
 */
import { find } from 'linkifyjs';
import type { ReactNode } from 'react';

export type Block =
  { kind: 'code'; text: string } | { kind: 'quote'; text: string } | { kind: 'text'; text: string };

const FENCE = /^```[\w+-]*\s*$/;

/** Splits a message into code blocks, quotes and ordinary text, line by line. */
export function parseBlocks(body: string): Block[] {
  const blocks: Block[] = [];
  const lines = body.split('\n');
  const push = (kind: Block['kind'], line: string) => {
    const last = blocks[blocks.length - 1];
    if (last && last.kind === kind) last.text += `\n${line}`;
    else blocks.push({ kind, text: line });
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (FENCE.test(line)) {
      const end = lines.findIndex((l, j) => j > i && l.trim() === '```');
      if (end !== -1) {
        blocks.push({ kind: 'code', text: lines.slice(i + 1, end).join('\n') });
        i = end;
        continue;
      }
    }
    const quote = /^> ?(.*)$/.exec(line);
    if (quote) push('quote', quote[1]!);
    else push('text', line);
  }
  return blocks;
}

/** The address a found link opens, or null for anything but http(s) and mail. */
export function safeHref(href: string): string | null {
  try {
    const url = new URL(href);
    return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

/** Who can be mentioned in the room ("@Name" is marked), and my own name (marked more). */
export interface Mentions {
  pattern: RegExp | null;
  me: string | null;
}

function mentioned(text: string, key: string, who: Mentions | undefined): ReactNode[] {
  if (!who?.pattern || !text.includes('@')) return text ? [text] : [];
  const out: ReactNode[] = [];
  let at = 0;
  for (const match of text.matchAll(who.pattern)) {
    if (match.index > at) out.push(text.slice(at, match.index));
    const mine = who.me !== null && match[1]!.toLocaleLowerCase() === who.me.toLocaleLowerCase();
    out.push(
      <span
        key={`${key}@${match.index}`}
        className={mine ? 'mention me' : 'mention'}
        data-testid="chat-mention"
      >
        {match[0]}
      </span>,
    );
    at = match.index + match[0].length;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

function linkified(text: string, key: string, who?: Mentions): ReactNode[] {
  const out: ReactNode[] = [];
  let at = 0;
  for (const link of find(text)) {
    if (link.type !== 'url' && link.type !== 'email') continue;
    const href = safeHref(link.href);
    if (!href) continue;
    if (link.start > at) out.push(...mentioned(text.slice(at, link.start), `${key}m${at}`, who));
    out.push(
      <a
        key={`${key}-${link.start}`}
        href={href}
        target="_blank"
        rel="noopener noreferrer"
        data-testid="chat-message-link"
      >
        {link.value}
      </a>,
    );
    at = link.end;
  }
  if (at < text.length) out.push(...mentioned(text.slice(at), `${key}m${at}`, who));
  return out;
}

// Emphasis opens and closes next to a non-space and not inside a word (snake_case stays as is).
const EMPHASIS =
  /\*\*(?=\S)([^\n]*?\S)\*\*|(?<![\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])|(?<!\w)_(?=\S)([^_\n]*?\S)_(?!\w)/;

function emphasised(text: string, key: string, who?: Mentions): ReactNode[] {
  const match = EMPHASIS.exec(text);
  if (!match) return linkified(text, key, who);
  const before = text.slice(0, match.index);
  const after = text.slice(match.index + match[0].length);
  const inner = match[1] ?? match[2] ?? match[3] ?? '';
  const Tag = match[1] !== undefined ? 'strong' : 'em';
  return [
    ...linkified(before, `${key}b`, who),
    <Tag key={`${key}-${match.index}`}>{emphasised(inner, `${key}i`, who)}</Tag>,
    ...emphasised(after, `${key}a`, who),
  ];
}

/** Inline formatting of one run of text: code spans first (nothing inside them is formatted). */
export function inline(text: string, key = 'i', who?: Mentions): ReactNode[] {
  const out: ReactNode[] = [];
  const code = /`([^`\n]+)`/g;
  let at = 0;
  for (let match = code.exec(text); match; match = code.exec(text)) {
    out.push(...emphasised(text.slice(at, match.index), `${key}${at}`, who));
    out.push(<code key={`${key}c${match.index}`}>{match[1]}</code>);
    at = match.index + match[0].length;
  }
  out.push(...emphasised(text.slice(at), `${key}${at}`, who));
  return out;
}

/** A message as one line of plain text, its Markdown marks taken out (room list previews). */
export function plainText(body: string): string {
  return body
    .replace(/^```[\w+-]*\s*$/gm, '')
    .replace(/^> ?/gm, '')
    .replace(/`([^`\n]+)`/g, '$1')
    .replace(/\*\*(?=\S)([^\n]*?\S)\*\*/g, '$1')
    .replace(/(?<![\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])/g, '$1')
    .replace(/(?<!\w)_(?=\S)([^_\n]*?\S)_(?!\w)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** `suffix` (an "edited" mark) ends the last line of text rather than starting a line of its own. */
export function MessageText({
  body,
  suffix,
  mentions,
}: {
  body: string;
  suffix?: ReactNode;
  mentions?: Mentions;
}) {
  const blocks = parseBlocks(body);
  const last = blocks.length - 1;
  return (
    <>
      {blocks.map((block, i) =>
        block.kind === 'code' ? (
          <pre key={i} className="message-code">
            <code>{block.text}</code>
          </pre>
        ) : block.kind === 'quote' ? (
          <blockquote key={i} className="message-quote">
            {inline(block.text, `q${i}`, mentions)}
            {i === last ? suffix : null}
          </blockquote>
        ) : (
          <span key={i} className="message-line">
            {inline(block.text, `t${i}`, mentions)}
            {i === last ? suffix : null}
          </span>
        ),
      )}
      {blocks[last]?.kind === 'code' ? suffix : null}
    </>
  );
}
