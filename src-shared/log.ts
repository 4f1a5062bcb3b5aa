/** Structured log lines (one JSON object per line), shared by main and the server. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function serializable(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] =
      value instanceof Error
        ? { name: value.name, message: value.message, stack: value.stack }
        : value;
  }
  return out;
}

/** A logger that writes JSON lines to `write`; `minLevel` drops the chattier levels. */
export function createLogger(
  write: (line: string, level: LogLevel) => void,
  base: LogFields = {},
  minLevel: LogLevel = 'info',
): Logger {
  const emit = (level: LogLevel, msg: string, fields?: LogFields) => {
    if (ORDER[level] < ORDER[minLevel]) return;
    const record = {
      time: new Date().toISOString(),
      level,
      msg,
      ...base,
      ...serializable(fields ?? {}),
    };
    write(JSON.stringify(record), level);
  };
  return {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
    child: (fields) => createLogger(write, { ...base, ...fields }, minLevel),
  };
}

/** A logger that writes nothing; for tests that do not look at logs. */
export const silentLogger: Logger = createLogger(() => undefined, {}, 'error');
