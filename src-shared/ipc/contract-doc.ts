/** Renders docs/ipc.md from the contract, so the document cannot drift from the code. */
import * as z from 'zod';
import { channels, events } from './contract';
import { ApiErrorCode } from './envelope';

function schemaText(schema: z.ZodType): string {
  if (schema instanceof z.ZodUndefined) return '_none_';
  const json = z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as Record<
    string,
    unknown
  >;
  delete json.$schema;
  return '```json\n' + JSON.stringify(json, null, 2) + '\n```';
}

export function renderIpcDoc(): string {
  const lines = [
    '# IPC contract',
    '',
    '<!-- Generated from src-shared/ipc/contract.ts by `npm run docs`; do not edit by hand. -->',
    '',
    'Every call from the renderer to main, and every event from main to the renderer. The same',
    'contract runs over Electron IPC (one `ipcMain.handle` per channel, named `api:<channel>`) and',
    "over the browser host's WebSocket bridge (`/bridge`, frames `{kind: 'call', id, channel, input}`",
    "answered by `{kind: 'result', id, result}`; events arrive as `{kind: 'event', name, payload}`).",
    '',
    'Every reply is an envelope: `{ok: true, value}` or `{ok: false, error: {code, message, issues?}}`',
    `with \`code\` one of ${ApiErrorCode.options.map((c) => `\`${c}\``).join(', ')}.`,
    'Input is parsed with the schema in main; replies and events are parsed again by the preload.',
    '',
    '## Calls',
    '',
  ];
  for (const [name, spec] of Object.entries(channels)) {
    lines.push(
      `### \`${name}\``,
      '',
      'Input:',
      '',
      schemaText(spec.input),
      '',
      'Output:',
      '',
      schemaText(spec.output),
      '',
    );
  }
  lines.push('## Events', '');
  for (const [name, schema] of Object.entries(events)) {
    lines.push(`### \`${name}\``, '', schemaText(schema), '');
  }
  return lines.join('\n');
}
