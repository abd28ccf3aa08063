/**
 * `npm run convert`: runs scripts/convert.ts compiled to JavaScript (no TypeScript compiler at
 * start-up). Compiles it with tsconfig.convert.json first when the compiled copy is missing or
 * older than its sources (a fresh clone, a changed converter); plain JavaScript so that this
 * check costs a few file stats.
 */
'use strict';
const { execFileSync } = require('node:child_process');
const { readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const config = join(root, 'tsconfig.convert.json');
const compiled = join(root, 'node_modules', '.cache', 'n8n-nodes-nsx-ata', 'convert', 'scripts', 'convert.js');

function modified(path) {
	try {
		return statSync(path).mtimeMs;
	} catch {
		return -1;
	}
}

/** Newest modification time of a directory's files, recursively. */
function newest(dir) {
	let latest = -1;
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const path = join(dir, entry.name);
		latest = Math.max(latest, entry.isDirectory() ? newest(path) : modified(path));
	}
	return latest;
}

const sources = Math.max(
	modified(join(root, 'scripts', 'convert.ts')),
	modified(join(root, 'tsconfig.json')),
	modified(config),
	newest(join(root, 'nodes', 'shared', 'misp')),
);
if (modified(compiled) < sources) {
	process.stderr.write('Compiling the converter (first run, or its sources changed) …\n');
	execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', config], {
		stdio: 'inherit',
	});
}
require(compiled);
