/** Chart data out of the app: CSV (RFC 4180 quoting) and PNG (the chart's canvas). */

export function toCsv(header: string[], rows: Array<Array<string | number | null>>): string {
  const cell = (value: string | number | null) => {
    const text = value === null ? '' : String(value);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

function download(href: string, name: string): void {
  const link = document.createElement('a');
  link.href = href;
  link.download = name;
  link.click();
}

export function downloadCsv(name: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  download(url, `${name}.csv`);
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadPng(name: string, canvas: HTMLCanvasElement | null | undefined): void {
  if (canvas) download(canvas.toDataURL('image/png'), `${name}.png`);
}
