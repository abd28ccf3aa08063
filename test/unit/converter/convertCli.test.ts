/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- development-only code, never shipped in dist/ */
/**
 * `npm run convert` (scripts/runConvert.js): runs the converter compiled to JavaScript, compiling
 * it first when needed, and prints exactly what the converter returns in-process.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
	toMispEvent,
	toMispResults,
	toModuleResults,
} from '../../../nodes/shared/misp/converter';
import { FIXTURES, loadFixture } from './outputChecks';

const CLI = join(__dirname, '..', '..', '..', 'scripts', 'runConvert.js');
const convert = (...args: string[]) =>
	spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });

describe('npm run convert', () => {
	const file = join(FIXTURES, 'get-result-file-complete.json');
	const link = 'https://user.lastline.com/portal#/analyst/task/3f2c9a7d41b800101a7e5c2d9b04e6f1/overview';

	it('prints the objects the converter builds in-process, warnings on stderr', () => {
		const run = convert(file, '--link', link);
		expect(run.status).toBe(0);
		const { warnings, ...results } = toMispResults(loadFixture('get-result-file-complete.json'), {
			analysisLink: link,
		});
		expect(run.stdout).toBe(`${JSON.stringify(results, null, 2)}\n`);
		expect(run.stderr.split('\n').filter((l) => l.startsWith('warning: '))).toEqual(
			warnings.map((w) => `warning: ${w}`),
		);
	});

	it('prints the event and the module answer from one conversion', () => {
		const document = loadFixture('get-result-url-complete.json');
		const url = join(FIXTURES, 'get-result-url-complete.json');
		expect(JSON.parse(convert(url, '--format', 'event').stdout)).toEqual({
			Event: toMispEvent(document).Event,
		});
		expect(JSON.parse(convert(url, '--format', 'module').stdout)).toEqual(toModuleResults(document));
	});

	it('exits 2 with a reason for an ATA error answer, 1 for bad arguments', () => {
		const error = convert(join(FIXTURES, 'error-unknown-task-uuid.json'));
		expect(error.status).toBe(2);
		expect(error.stderr).toMatch(/^unusable input: input is an ATA error response/u);
		expect(convert(file, '--format', 'xml').status).toBe(1);
	});
});
