import { MAX_SOURCE_BYTES } from './edit.ts';

/** An edited kernel carried in a link: never compiled until someone clicks to run it. */
export interface SharedEdit {
  family: string;
  source: string;
}

/** Hash keys of a shared edit: `#kernel=matmul&wgsl=<base64url of the UTF-8 source>`. */
const FAMILY = /^[a-z][a-z0-9_]{0,31}$/;

/** The hash that carries `edit`. */
export function encodeSharedEdit(edit: SharedEdit): string {
  const bytes = new TextEncoder().encode(edit.source);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  const wgsl = btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return `#kernel=${encodeURIComponent(edit.family)}&wgsl=${wgsl}`;
}

/**
 * The edit a hash carries, or null when it carries none; throws with a message for one that is
 * malformed, names no known family, or decodes to more than MAX_SOURCE_BYTES.
 */
export function decodeSharedEdit(hash: string, families: readonly string[]): SharedEdit | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const family = params.get('kernel');
  const wgsl = params.get('wgsl');
  if (family === null && wgsl === null) return null;
  if (family === null || wgsl === null) throw new Error('a shared kernel edit needs both "kernel" and "wgsl" in the link');
  if (!FAMILY.test(family) || !families.includes(family)) throw new Error(`the link names an unknown kernel family "${family.slice(0, 32)}"`);
  if (!/^[A-Za-z0-9_-]*$/.test(wgsl)) throw new Error('the link\'s "wgsl" is not base64url');
  if ((wgsl.length * 3) / 4 > MAX_SOURCE_BYTES + 3) throw new Error(`the linked source is over ${MAX_SOURCE_BYTES} bytes (64 KiB) and was not loaded`);
  const binary = atob(wgsl.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  if (bytes.length > MAX_SOURCE_BYTES) throw new Error(`the linked source is over ${MAX_SOURCE_BYTES} bytes (64 KiB) and was not loaded`);
  return { family, source: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
}
