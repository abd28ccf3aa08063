/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- development-only code, never shipped in dist/ */
/**
 * Bench 3: the converter on seeded 2.5 MB and 25 MB reports, by running bench/convert.ts (the
 * same code `npm run bench:convert` runs) in a child process and reading its figures.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';

export interface ConversionFigures {
	label: string;
	sizes: Array<{ megabytes: number; medianMs: number; megabytesPerSecond: number; peakHeapMb: number }>;
	timeRatio: number;
	sizeRatio: number;
}

export async function conversionBench(runs: number): Promise<ConversionFigures[]> {
	const output = await new Promise<string>((resolve, reject) =>
		execFile(
			process.execPath,
			['-r', 'ts-node/register/transpile-only', join(__dirname, 'convert.ts')],
			{ env: { ...process.env, BENCH_RUNS: String(runs) }, maxBuffer: 1 << 20 },
			(error, stdout) => (error && !stdout ? reject(error) : resolve(stdout)),
		),
	);
	const results: ConversionFigures[] = [];
	let current: ConversionFigures | undefined;
	for (const line of output.split('\n')) {
		const header = /^(\S.*):$/.exec(line);
		const size = /([\d.]+) MB: convert median ([\d.]+) ms \(([\d.]+) MB\/s\).*peak heap (\d+) MB/.exec(line);
		const ratio = /time ratio large\/small: ([\d.]+) for ([\d.]+)x/.exec(line);
		if (header) results.push((current = { label: header[1], sizes: [], timeRatio: NaN, sizeRatio: NaN }));
		else if (size && current) {
			current.sizes.push({ megabytes: Number(size[1]), medianMs: Number(size[2]), megabytesPerSecond: Number(size[3]), peakHeapMb: Number(size[4]) });
		} else if (ratio && current) {
			current.timeRatio = Number(ratio[1]);
			current.sizeRatio = Number(ratio[2]);
		}
	}
	if (results.length === 0) throw new Error(`bench/convert.ts printed nothing usable:\n${output}`);
	return results;
}
