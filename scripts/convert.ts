/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- development-only code, never shipped in dist/ */
/**
 * npm run convert -- <result.json> [--format objects|event|module] [--link <analysis link>]
 *                    [--tags <get_analysis_tags.json>] [--on-premise] [--registry-reads]
 * Reads an ATA result document (bare `data` or the whole envelope), prints the MISP JSON on
 * stdout and the converter's warnings on stderr. Exit 0 on success, 2 with a one-line reason
 * when the input is unusable, 1 on bad arguments. `npm run convert` runs this file compiled to
 * JavaScript (scripts/runConvert.js compiles it when needed), so start-up costs no TypeScript.
 */
import { readFileSync } from 'node:fs';
import { toMispEvent, toMispResults, type ConvertOptions } from '../nodes/shared/misp/converter';

const USAGE =
	'usage: npm run convert -- <result.json> [--format objects|event|module] [--link <analysis link>] ' +
	'[--tags <analysis-tags.json>] [--on-premise] [--registry-reads]';

type Format = 'objects' | 'event' | 'module';

function fail(code: number, message: string): never {
	console.error(message);
	process.exit(code);
}

function parseArgs(argv: string[]) {
	let file: string | undefined;
	let format: Format = 'objects';
	const options: ConvertOptions = {};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const next = () => argv[++i] ?? fail(1, `${arg} needs a value\n${USAGE}`);
		if (arg === '--format') {
			const value = next();
			if (value !== 'objects' && value !== 'event' && value !== 'module')
				fail(1, `unknown format ${value}\n${USAGE}`);
			format = value;
		} else if (arg === '--link') options.analysisLink = next();
		else if (arg === '--tags') options.analysisTags = readJson(next());
		else if (arg === '--on-premise') options.hosted = false;
		else if (arg === '--registry-reads') options.includeRegistryReads = true;
		else if (arg === '--help' || arg === '-h') fail(0, USAGE);
		else if (arg.startsWith('--')) fail(1, `unknown option ${arg}\n${USAGE}`);
		else if (file === undefined) file = arg;
		else fail(1, `unexpected argument ${arg}\n${USAGE}`);
	}
	if (file === undefined) fail(1, USAGE);
	return { file, format, options };
}

function readJson(path: string): unknown {
	let text: string;
	try {
		text = readFileSync(path, 'utf8');
	} catch (error) {
		fail(2, `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
	}
	try {
		return JSON.parse(text);
	} catch {
		fail(2, `${path} is not valid JSON`);
	}
}

/** Undefined when the document can be converted, else the one-line reason why not. */
function unusable(input: unknown): string | undefined {
	if (typeof input !== 'object' || input === null || Array.isArray(input))
		return 'input is not a JSON object';
	const record = input as Record<string, unknown>;
	if ('success' in record && !('task_uuid' in record)) {
		if (record.success !== 1 && record.success !== true) {
			return `input is an ATA error response: ${String(record.error ?? record.message ?? 'no message')}${record.error_code !== undefined ? ` (code ${String(record.error_code)})` : ''}`;
		}
		const data = record.data;
		if (typeof data !== 'object' || data === null || Array.isArray(data))
			return 'envelope has no data object';
		return unusable(data);
	}
	if (!('task_uuid' in record) && !('analysis_subject' in record) && !('report' in record)) {
		return 'input is not an ATA result document (no task_uuid, analysis_subject or report)';
	}
	return undefined;
}

function main(): void {
	const { file, format, options } = parseArgs(process.argv.slice(2));
	const input = readJson(file);
	const reason = unusable(input);
	if (reason !== undefined) fail(2, `unusable input: ${reason}`);
	let output: unknown;
	let warnings: string[];
	if (format === 'event') {
		const event = toMispEvent(input, options);
		output = { Event: event.Event };
		warnings = event.warnings;
	} else {
		// The module answer holds exactly these collections (see toModuleResults): convert once.
		const { warnings: found, ...results } = toMispResults(input, options);
		output = format === 'module' ? { results } : results;
		warnings = found;
	}
	process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
	for (const warning of warnings) console.error(`warning: ${warning}`);
}

main();
