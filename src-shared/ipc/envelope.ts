import * as z from 'zod';
import { ApiError } from './api-error';

export { ApiError };

/** Error codes every boundary (IPC, web bridge, server) replies with. */
export const ApiErrorCode = z.enum([
  'invalid_input',
  'unknown_channel',
  'invalid_output',
  'malformed_frame',
  'rate_limited',
  'forbidden',
  'unavailable',
  'offline',
  'no_identity',
  'not_found',
  'conflict',
  'internal',
]);
export type ApiErrorCode = z.infer<typeof ApiErrorCode>;

export const ApiIssue = z.object({ path: z.string(), message: z.string() });
export type ApiIssue = z.infer<typeof ApiIssue>;

export const ApiErrorBody = z.object({
  code: ApiErrorCode,
  message: z.string(),
  issues: z.array(ApiIssue).optional(),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiErrorBody };

export const EnvelopeSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: ApiErrorBody }),
]);

/** Turns zod issues into short path/message pairs a person can read. */
export function describeZodError(error: z.ZodError): ApiIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.length ? issue.path.map(String).join('.') : '(root)',
    message: issue.message,
  }));
}

export function invalidInput(what: string, error: z.ZodError): ApiError {
  const issues = describeZodError(error);
  const first = issues[0];
  const detail = first ? `: ${first.path}: ${first.message}` : '';
  return new ApiError('invalid_input', `Invalid input for ${what}${detail}`, issues);
}
