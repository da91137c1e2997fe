// The shader explorer page: <sp-shader-explorer> takes this page's own GPU device (timestamp
// queries where the adapter has them) and trains a small network on it while every kernel is
// timed. The page hands it the network from the link (the playground's "Open in the shader
// explorer") and an edited kernel a link carries; without a GPU the element says so itself.
import '../components/explorer/sp-shader-explorer.ts';
import { decodeHash } from '../src/config/url.ts';
import { CHECKED_FAMILIES } from '../src/explorer/checks.ts';
import { decodeSharedEdit } from '../src/explorer/share.ts';

const element = document.querySelector('sp-shader-explorer')!;
const messages: string[] = [];

const hash = location.hash;
if (/[#&]dataset=/.test(hash)) {
  const decoded = decodeHash(hash.replace(/(^|&|#)(kernel|wgsl)=[^&]*/g, ''));
  messages.push(...decoded.messages);
  if (decoded.config.dataset.name === 'csv') messages.push('A CSV file is not part of a link: exploring the default Iris network instead.');
  else element.experiment = decoded.config;
}
try {
  element.sharedEdit = decodeSharedEdit(hash, CHECKED_FAMILIES);
} catch (e) {
  messages.push(`The link's kernel edit was not loaded: ${(e as Error).message}`);
}
document.getElementById('error')!.textContent = messages.join(' ');
