/** Files out of the app through the browser's download (works in both hosts). */

export function download(href: string, name: string): void {
  const link = document.createElement('a');
  link.href = href;
  link.download = name;
  link.click();
}

export function downloadText(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  download(url, fileName);
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadPng(name: string, canvas: HTMLCanvasElement | null | undefined): void {
  if (canvas) download(canvas.toDataURL('image/png'), `${name}.png`);
}
