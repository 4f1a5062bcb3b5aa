/** Turns the server's refusals into API errors the UI can word, for every service that asks it. */
import { ApiError } from '../../../src-shared/ipc/api-error';
import type { ApiErrorCode } from '../../../src-shared/ipc/envelope';
import { ServerRequestError } from './server-connection';

const SERVER_TO_API: Record<string, ApiErrorCode> = {
  offline: 'offline',
  timeout: 'unavailable',
  not_member: 'forbidden',
  forbidden: 'forbidden',
  no_such_room: 'not_found',
  no_such_user: 'not_found',
  no_such_message: 'not_found',
  bad_invite: 'not_found',
  invite_revoked: 'not_found',
  no_such_call: 'not_found',
  unknown_peer: 'not_found',
  not_in_call: 'conflict',
  call_full: 'conflict',
  malformed_frame: 'invalid_input',
  rate_limited: 'rate_limited',
};

/** Runs a server request, turning its refusal into an ApiError. */
export async function viaServer<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ServerRequestError)
      throw new ApiError(SERVER_TO_API[error.code] ?? 'unavailable', error.message);
    throw error;
  }
}
