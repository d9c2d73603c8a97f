#!/usr/bin/env node
// The charta command. The TypeScript sources in src/ are compiled into build/ and the command is
// bundled into build/bundle/ by `npm install` (the prepare script) or `npm run compile`.
import { existsSync } from 'node:fs';

const main = new URL('../build/bundle/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('charta: the toolkit is not compiled yet. Run `npm install` (or `npm run compile`) in its folder.\n');
  process.exit(2);
}
await import(main.href);
