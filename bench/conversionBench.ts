/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- development-only code, never shipped in dist/ */
/**
 * Bench 3: the converter on seeded 2.5 MB and 25 MB reports and on adversarial 1, 10 and 100 MB
 * reports, by running bench/convert.ts (the same code `npm run bench:convert` runs) in a child
 * process and reading its figures.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';

export interface ConversionFigures {
	label: string;
	sizes: Array<{ megabytes: number; medianMs: number; megabytesPerSecond: number; peakHeapMb: number }>;
	timeRatio: number;
	sizeRatio: number;
	ratioLimit: number;
}

export interface ValueCheckFigures {
	slowestMs: number;
	slowestType: string;
}

/** `npm run convert` as a process (seconds). */
export interface CliFigures {
	startup: number;
	whole: number;
	inProcess: number;
}

export interface ConversionBenchResult {
	runs: ConversionFigures[];
	valueChecks?: ValueCheckFigures;
	cli?: CliFigures;
}

export async function conversionBench(runs: number): Promise<ConversionBenchResult> {
	const output = await new Promise<string>((resolve, reject) =>
		execFile(
			process.execPath,
			['--expose-gc', '-r', 'ts-node/register/transpile-only', join(__dirname, 'convert.ts')],
			{ env: { ...process.env, BENCH_RUNS: String(runs) }, maxBuffer: 1 << 20 },
			(error, stdout) => (error && !stdout ? reject(error) : resolve(stdout)),
		),
	);
	const results: ConversionFigures[] = [];
	let current: ConversionFigures | undefined;
	let valueChecks: ValueCheckFigures | undefined;
	let cli: CliFigures | undefined;
	for (const line of output.split('\n')) {
		const checks = /^value checks .*slowest ([\d.]+) ms \(([^)]+)\)/.exec(line);
		if (checks) valueChecks = { slowestMs: Number(checks[1]), slowestType: checks[2] };
		const startup = /^npm run convert: start-up ([\d.]+) s/.exec(line);
		if (startup) cli = { startup: Number(startup[1]), whole: NaN, inProcess: NaN };
		const whole = /^npm run convert on .*whole process ([\d.]+) s .*in-process ([\d.]+) s/.exec(line);
		if (whole && cli) Object.assign(cli, { whole: Number(whole[1]), inProcess: Number(whole[2]) });
		const header = /^(\S.*):$/.exec(line);
		const size = /([\d.]+) MB: convert median ([\d.]+) ms \(([\d.]+) MB\/s\).*peak heap (\d+) MB/.exec(line);
		const ratio = /time ratio large\/small: ([\d.]+) for ([\d.]+)x the input \(limit (\d+)\)/.exec(line);
		if (header) results.push((current = { label: header[1], sizes: [], timeRatio: NaN, sizeRatio: NaN, ratioLimit: NaN }));
		else if (size && current) {
			current.sizes.push({ megabytes: Number(size[1]), medianMs: Number(size[2]), megabytesPerSecond: Number(size[3]), peakHeapMb: Number(size[4]) });
		} else if (ratio && current) {
			current.timeRatio = Number(ratio[1]);
			current.sizeRatio = Number(ratio[2]);
			current.ratioLimit = Number(ratio[3]);
		}
	}
	if (results.length === 0) throw new Error(`bench/convert.ts printed nothing usable:\n${output}`);
	return { runs: results, valueChecks, cli };
}
