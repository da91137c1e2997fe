// Hands bytes to the browser as a file download. Everything stays on this machine: the file is
// an object URL of an in-memory Blob, revoked once the download has started.

/** Saves `bytes` as `filename` through a temporary anchor and object URL. */
export function downloadBytes(bytes: Uint8Array, filename: string, mime = 'application/octet-stream'): void {
  // Copy into a plain ArrayBuffer-backed view: Blob parts may not be SharedArrayBuffer views.
  downloadBlob(new Blob([bytes.slice()], { type: mime }), filename);
}

/** Saves `text` (UTF-8) as `filename`, e.g. an exported Python script. */
export function downloadText(text: string, filename: string, mime = 'text/plain;charset=utf-8'): void {
  downloadBlob(new Blob([text], { type: mime }), filename);
}

function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  a.style.display = 'none';
  // Some browsers only follow a click on an anchor that is in the document.
  document.body.append(a);
  try {
    a.click();
  } finally {
    a.remove();
    // Revoking in the same task can cancel the download before it starts in some browsers.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}
