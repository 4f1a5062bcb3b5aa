import fs from 'node:fs';
import path from 'node:path';

/**
 * An append-only log file that rolls over to `<name>.1` past `maxBytes`, so logs of an app that
 * runs for months stay bounded.
 */
export function openLogFile(
  dir: string,
  name: string,
  maxBytes = 5 * 1024 * 1024,
): (line: string) => void {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  let size = fs.existsSync(file) ? fs.statSync(file).size : 0;
  return (line) => {
    const data = line + '\n';
    if (size + data.length > maxBytes) {
      try {
        fs.renameSync(file, `${file}.1`);
      } catch {
        // nothing to roll over yet
      }
      size = 0;
    }
    fs.appendFileSync(file, data);
    size += data.length;
  };
}
