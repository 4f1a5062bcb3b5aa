/**
 * The error a failed contract call turns into. Kept apart from the zod schemas in envelope.ts so
 * that the renderer's first chunk does not need zod at all.
 */
import type { ApiErrorBody, ApiErrorCode, ApiIssue } from './envelope';

/** An error that carries a code meant for the caller (not an internal failure). */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly issues: ApiIssue[] | undefined;

  constructor(code: ApiErrorCode, message: string, issues?: ApiIssue[]) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.issues = issues;
  }

  toBody(): ApiErrorBody {
    return this.issues
      ? { code: this.code, message: this.message, issues: this.issues }
      : { code: this.code, message: this.message };
  }

  static fromBody(body: ApiErrorBody): ApiError {
    return new ApiError(body.code, body.message, body.issues);
  }
}
