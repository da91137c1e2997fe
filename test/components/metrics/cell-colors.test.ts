import { expect } from '@esm-bundle/chai';
import { cellColors, contrast, MIN_CONTRAST, mix, parseColor, type Rgb } from '../../../components/metrics/cell-colors.ts';

const LIGHT = { bg: [255, 255, 255], fg: [0x1b, 0x1f, 0x24], accent: [0x2f, 0x6f, 0xdb], accentFg: [255, 255, 255] } as {
  bg: Rgb;
  fg: Rgb;
  accent: Rgb;
  accentFg: Rgb;
};
const DARK = { bg: [0x15, 0x18, 0x1c], fg: [0xe6, 0xe9, 0xee], accent: [0x6e, 0xa0, 0xff], accentFg: [0x0b, 0x0d, 0x10] } as {
  bg: Rgb;
  fg: Rgb;
  accent: Rgb;
  accentFg: Rgb;
};

describe('Shaded cells keep their text readable', () => {
  it('computes WCAG contrast as axe does', () => {
    expect(contrast([0, 0, 0], [255, 255, 255])).to.be.closeTo(21, 1e-9);
    expect(contrast(LIGHT.accentFg, LIGHT.accent)).to.be.closeTo(4.75, 0.01);
  });

  it('the plain mix has shades where neither text colour reaches 4.5:1 (what axe found: 3.11, 2.46, 3.72)', () => {
    for (const theme of [LIGHT, DARK]) {
      const bad = Array.from({ length: 101 }, (_, i) => i / 100).filter((level) => {
        const bg = mix(theme.accent, theme.bg, level);
        return Math.max(contrast(theme.fg, bg), contrast(theme.accentFg, bg)) < MIN_CONTRAST;
      });
      expect(bad.length, 'a band of unreadable shades').to.be.greaterThan(0);
    }
  });

  it('every level gets a pair at 4.5:1 or better, in both themes, and the shades stay in order of value', () => {
    for (const theme of [LIGHT, DARK]) {
      let previous = -1;
      for (let i = 0; i <= 100; i++) {
        const c = cellColors(i / 100, theme);
        expect(contrast(c.text, c.background), `level ${i}%`).to.be.at.least(MIN_CONTRAST);
        expect(c.share, `level ${i}%`).to.be.at.least(previous);
        previous = c.share;
        expect(Math.abs(c.share - i / 100)).to.be.at.most(0.35);
      }
    }
  });

  it('reads theme colours through the canvas parser', () => {
    expect(parseColor('#2f6fdb')).to.deep.equal([0x2f, 0x6f, 0xdb]);
    expect(parseColor('rgb(1, 2, 3)')).to.deep.equal([1, 2, 3]);
    expect(parseColor('white')).to.deep.equal([255, 255, 255]);
    expect(parseColor('')).to.equal(null);
  });
});
