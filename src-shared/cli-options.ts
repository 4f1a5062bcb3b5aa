/**
 * Command-line options for the entry points (`npm run server`, `npm run web`): `--name value` or
 * `--name=value`, mapped to keys and then parsed with a zod schema. Throws with a message a person
 * can act on; the entry points print it and exit with code 2.
 */
import type * as z from 'zod';

export function readOptions<T>(
  argv: string[],
  flags: Record<string, string>,
  schema: z.ZodType<T>,
  defaults: Record<string, unknown> = {},
): T {
  const raw: Record<string, unknown> = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = (argv[i] as string).split(/=(.*)/s) as [string, string | undefined];
    const key = flags[flag];
    if (!key) throw new Error(`unknown option ${flag} (known: ${Object.keys(flags).join(', ')})`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`option ${flag} needs a value`);
    raw[key] = value;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const flag =
      Object.keys(flags).find((f) => flags[f] === issue?.path[0]) ?? issue?.path.join('.');
    throw new Error(`invalid ${flag}: ${issue?.message}`);
  }
  return parsed.data;
}
