/** Chart data out of the app as CSV (RFC 4180 quoting). */
import { downloadText } from '../../lib/download';

export function toCsv(header: string[], rows: Array<Array<string | number | null>>): string {
  const cell = (value: string | number | null) => {
    const text = value === null ? '' : String(value);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

export function downloadCsv(name: string, csv: string): void {
  downloadText(`${name}.csv`, csv, 'text/csv');
}
