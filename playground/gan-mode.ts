// gan.html's switch between the MNIST lab (<sp-gan>, the default) and the 2-D lab (<sp-gan-2d>,
// hash key mode=2d). Imported by gan.ts before the elements are defined, so in 2-D mode the page's
// <sp-gan> leaves the document before it is upgraded and never builds (it would load MNIST). Only
// the chosen lab is in the page; a switch frees what the other held, and switching back puts the
// page's own <sp-gan>, attributes and all, back.

type Mode = 'mnist' | '2d';

const select = document.querySelector<HTMLSelectElement>('[data-testid="gan2d-mode"]')!;
const slot = document.querySelector<HTMLElement>('#gan-lab')!;
const mnistLab: HTMLElement = slot.querySelector('sp-gan') ?? document.createElement('sp-gan');

function modeOfHash(): Mode {
  return new URLSearchParams(location.hash.slice(1)).get('mode') === '2d' ? '2d' : 'mnist';
}

function show(mode: Mode): void {
  select.value = mode;
  const tag = mode === '2d' ? 'sp-gan-2d' : 'sp-gan';
  if (slot.firstElementChild?.localName === tag) return;
  let lab = mnistLab;
  if (mode === '2d') {
    lab = document.createElement('sp-gan-2d');
    lab.setAttribute('url-state', '');
  }
  slot.replaceChildren(lab);
  document.title = mode === '2d' ? 'shaderprop · watch a GAN learn points of the plane' : 'shaderprop · watch a GAN learn MNIST';
}

select.addEventListener('change', () => {
  const mode = select.value as Mode;
  const params = new URLSearchParams(location.hash.slice(1));
  if (mode === '2d') params.set('mode', '2d');
  else params.delete('mode');
  // The 2-D lab's own keys stay, so switching back finds its settings.
  history.replaceState(history.state, '', `#${params.toString().replace(/%2C/g, ',')}`);
  show(mode);
});
addEventListener('hashchange', () => show(modeOfHash()));
show(modeOfHash());
