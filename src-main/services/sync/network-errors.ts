/**
 * Network failures in words a person can act on: which of the usual reasons it is (nothing
 * listening, a firewall dropping, an unknown name), for the server connection, invite checks,
 * hosting's address checks and model downloads alike.
 */
export function describeSocketError(error: Error, url: string): string {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  let host = url;
  try {
    host = new URL(url).host;
  } catch {
    // keep the URL as given
  }
  switch (code) {
    case 'ECONNREFUSED':
      return `${host} refused the connection: the server is not running there, or a firewall refuses its port`;
    case 'ETIMEDOUT':
    case 'ESOCKETTIMEDOUT':
      return `${host} did not answer: a firewall may drop its port, or the computer is off or on another network`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${host} cannot be reached from this network`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the name ${host} is not known on this network`;
    case 'ECONNRESET':
      return `${host} closed the connection while it was being opened`;
    default:
      if (/Opening handshake has timed out/.test(error.message))
        return `${host} did not answer: a firewall may drop its port, or the computer is off or on another network`;
      return error.message;
  }
}
