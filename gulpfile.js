// Copies the node and credential icons next to the compiled code (tsc copies only code and JSON).
const { src, dest, parallel } = require('gulp');

function nodeIcons() {
	return src('nodes/**/*.{png,svg}', { encoding: false }).pipe(dest('dist/nodes'));
}

function credentialIcons() {
	return src('icons/*.{png,svg}', { encoding: false }).pipe(dest('dist/icons'));
}

exports['build:icons'] = parallel(nodeIcons, credentialIcons);
