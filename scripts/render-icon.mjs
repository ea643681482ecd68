// `npm run icon`: renders the marketplace icon media/icon.png (128×128) from the activity bar's
// media/cloud-run-global.svg, white on a blue rounded square. Needs rsvg-convert
// (Debian: apt-get install librsvg2-bin).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const glyph = readFileSync(`${root}media/cloud-run-global.svg`, 'utf8')
  .replace(/<svg[^>]*>/, '')
  .replace('</svg>', '')
  .trim();
// The glyph's 24-unit box, scaled to 88 px and centred on 128 px.
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128">
  <rect x="0" y="0" width="128" height="128" rx="24" fill="#1a73e8"/>
  <g transform="translate(20 20) scale(3.6667)" fill="none" stroke="#ffffff" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round" color="#ffffff">
    ${glyph}
  </g>
</svg>
`;
const png = execFileSync('rsvg-convert', ['--width', '128', '--height', '128', '--format', 'png'], { input: svg });
writeFileSync(`${root}media/icon.png`, png);
console.log(`media/icon.png: ${png.length} bytes`);
