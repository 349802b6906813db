// Browser tests need Chromium. Use CHROMIUM_PATH or Debian's /usr/bin/chromium; if missing, install
// Debian's package when we are root with apt-get, else say exactly what to install. Never download one.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (existsSync(path)) process.exit(0);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
if (process.env.CHROMIUM_PATH === undefined && isRoot && hasApt) {
  console.log('Chromium not found: installing Debian\'s chromium package (apt-get)…');
  const run = (cmd) => spawnSync('sh', ['-c', cmd], { stdio: 'inherit' }).status === 0;
  if (run('apt-get update -qq') && run('DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium') && existsSync(path)) process.exit(0);
}
console.error(`Browser tests need Chromium at ${path}.\n  On Debian: sudo apt-get install chromium\n  Elsewhere: set CHROMIUM_PATH to a Chromium or Chrome executable.`);
process.exit(1);
