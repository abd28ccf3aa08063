/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- development-only code, never shipped in dist/ */
/**
 * npm run bench [-- --json <file>] [-- --only throughput,waiting,conversion,upload,overhead]
 * Measures against the simulators on 127.0.0.1, every comparison side by side in one run:
 *  1. batch submit throughput vs the server's limit (cap ÷ latency), one at a time vs defaults;
 *  2. API calls per completed analysis while waiting (batched paths vs per-task polling);
 *  3. converter speed, scaling and heap (bench/convert.ts);
 *  4. a 100 MB upload through the engine vs a bare HTTP client: RSS growth and wall time;
 *  5. per-item overhead of the node in the engine vs the client directly.
 * Prints a table with the goals, writes bench/results.json (or --json) and docs/throughput.svg.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

import { conversionBench, type ConversionBenchResult } from './conversionBench';
import { overheadBench, type OverheadFigures } from './overheadBench';
import { throughputSvg } from './throughputChart';
import { LIMIT_PER_SECOND, throughputBench, type ThroughputFigures } from './throughputBench';
import { uploadBench, type UploadFigures } from './uploadBench';
import { waitingBench, type WaitingFigures } from './waitingBench';

const args = process.argv.slice(2);
const option = (name: string) => {
	const index = args.indexOf(`--${name}`);
	return index >= 0 ? args[index + 1] : undefined;
};
const only = new Set((option('only') ?? 'throughput,waiting,conversion,upload,overhead').split(','));
const jsonFile = resolve(option('json') ?? join(__dirname, 'results.json'));
const chartFile = join(__dirname, '..', 'docs', 'throughput.svg');

interface Row {
	bench: string;
	figure: string;
	value: string;
	goal: string;
	met?: boolean;
}

const rows: Row[] = [];
const row = (bench: string, figure: string, value: string, goal = '', met?: boolean) => rows.push({ bench, figure, value, goal, met });
const log = (line: string) => console.log(line);

function throughputRows(t: ThroughputFigures): void {
	row('1 throughput', 'one at a time (concurrency 1)', `${t.oneAtATime.submissionsPerSecond.toFixed(1)} submissions/s`);
	row('1 throughput', 'defaults (concurrency 8), median of 3', `${t.defaults.submissionsPerSecond.toFixed(1)} submissions/s`);
	row('1 throughput', 'speed-up', `${t.speedUp.toFixed(1)}x`);
	row('1 throughput', 'submissions/s ÷ limit 160/s', t.fractionOfLimit.toFixed(2), '≥ 0.8', t.fractionOfLimit >= 0.8);
	row('1 throughput', 'API requests/s ÷ limit (hash look-ups included)', t.requestFractionOfLimit.toFixed(2), '≥ 0.8', t.requestFractionOfLimit >= 0.8);
	row('1 throughput', 'without Look Up Hash First ÷ limit', (t.withoutHashLookUp.submissionsPerSecond / LIMIT_PER_SECOND).toFixed(2));
	const storm = t.defaults.refused429 / t.defaults.submissions;
	row('1 throughput', '429s refused per submission (defaults)', `${t.defaults.refused429} (${storm.toFixed(3)})`, 'no storm (< 0.05)', storm < 0.05);
}

function waitingRows(w: WaitingFigures[]): void {
	for (const path of w) {
		const batched = !path.path.startsWith('Baseline') && !path.path.startsWith('Incomplete');
		row(
			'2 waiting',
			`${path.path}: calls/completion (polls only)`,
			`${path.callsPerCompletion.toFixed(2)} (${path.pollCallsPerCompletion.toFixed(2)}), ${path.completed}/200 done`,
			batched ? '≈ 1 (polls ≪ per-task)' : '',
			batched ? path.pollCallsPerCompletion < 0.5 : undefined,
		);
	}
}

function conversionRows(c: ConversionBenchResult): void {
	if (c.valueChecks) {
		const { slowestMs, slowestType } = c.valueChecks;
		row('3 conversion', 'slowest value check, 64 KB adversarial strings', `${slowestMs.toFixed(2)} ms (${slowestType})`, '< 10 ms', slowestMs < 10);
	}
	if (c.cli) {
		const { startup, whole, inProcess } = c.cli;
		row('3 conversion', 'npm run convert: start-up (tiny report)', `${startup.toFixed(2)} s`, '≤ 0.3 s', startup <= 0.3);
		row('3 conversion', 'npm run convert, 3.3 MB: whole process − in-process', `${(whole - inProcess).toFixed(2)} s (${whole.toFixed(2)} s vs ${inProcess.toFixed(2)} s)`, '≤ 0.3 s', whole - inProcess <= 0.3);
	}
	for (const run of c.runs) {
		for (const size of run.sizes) {
			row('3 conversion', `${run.label}, ${size.megabytes} MB`, `${size.megabytesPerSecond.toFixed(1)} MB/s, ${size.medianMs.toFixed(0)} ms, peak heap ${size.peakHeapMb} MB`);
		}
		row('3 conversion', `${run.label}: time ratio for ${run.sizeRatio}x input`, run.timeRatio.toFixed(2), `≤ ${run.ratioLimit}`, run.timeRatio <= run.ratioLimit);
	}
}

function uploadRows(u: UploadFigures): void {
	row('4 upload', `engine: RSS growth ÷ ${u.megabytes} MB`, `${u.engine.growthPerFileSize.toFixed(2)} (+${u.engine.rssGrowthMb.toFixed(0)} MB)`, '≤ 2.5', u.engine.growthPerFileSize <= 2.5);
	row('4 upload', `bare undici: RSS growth ÷ ${u.megabytes} MB`, `${u.undici.growthPerFileSize.toFixed(2)} (+${u.undici.rssGrowthMb.toFixed(0)} MB)`);
	row('4 upload', 'wall time engine ÷ bare undici', `${u.timeRatio.toFixed(2)} (${u.engine.seconds.toFixed(2)} s vs ${u.undici.seconds.toFixed(2)} s)`, '≤ 1.2', u.timeRatio <= 1.2);
}

function overheadRows(o: OverheadFigures[]): void {
	for (const run of o) {
		row(
			'5 overhead',
			`500 status checks, ${run.latencyMs} ms latency: engine ÷ client`,
			`${run.ratio.toFixed(2)} (${run.engineMs.toFixed(0)} ms vs ${run.directMs.toFixed(0)} ms)`,
			'≤ 1.15',
			run.ratio <= 1.15,
		);
	}
}

function printTable(): void {
	const widths = [14, 62, 44, 22];
	const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join(' ');
	console.log(`\n${line(['bench', 'figure', 'value', 'goal'])}`);
	console.log('-'.repeat(widths.reduce((a, b) => a + b + 1, 0)));
	for (const r of rows) {
		const verdict = r.met === undefined ? '' : r.met ? ' met' : ' MISSED';
		console.log(line([r.bench, r.figure, r.value, r.goal + verdict]));
	}
}

async function main(): Promise<void> {
	const started = performance.now();
	const results: Record<string, unknown> = { startedAt: new Date().toISOString(), node: process.version };
	if (only.has('throughput')) {
		log('1. batch submit throughput (500 submissions, 50 ms latency, cap 8) …');
		const t = await throughputBench(log);
		results.throughput = t;
		throughputRows(t);
		const points = t.sweep.map((run) => ({ concurrency: run.concurrency, perSecond: run.submissionsPerSecond }));
		mkdirSync(dirname(chartFile), { recursive: true });
		writeFileSync(chartFile, throughputSvg(points, LIMIT_PER_SECOND, 'NSX ATA: 500 submissions, 50 ms latency, server cap 8'));
		results.chart = { file: 'docs/throughput.svg', points };
	}
	if (only.has('waiting')) {
		log('2. waiting efficiency (200 analyses finishing within 60 s simulated) …');
		results.waiting = await waitingBench(log);
		waitingRows(results.waiting as WaitingFigures[]);
	}
	if (only.has('conversion')) {
		log('3. conversion (bench/convert.ts, 3 runs per size) …');
		results.conversion = await conversionBench(3);
		conversionRows(results.conversion as ConversionBenchResult);
	}
	if (only.has('upload')) {
		log('4. 100 MB upload, a child process per case …');
		results.upload = await uploadBench(100, 3, log);
		uploadRows(results.upload as UploadFigures);
	}
	if (only.has('overhead')) {
		log('5. per-item overhead (500 status checks) …');
		const o = [await overheadBench(0, 5), await overheadBench(10, 3)];
		results.overhead = o;
		overheadRows(o);
	}
	results.rows = rows;
	results.seconds = (performance.now() - started) / 1000;
	printTable();
	mkdirSync(dirname(jsonFile), { recursive: true });
	writeFileSync(jsonFile, `${JSON.stringify(results, null, '\t')}\n`);
	console.log(`\n${(results.seconds as number).toFixed(0)} s; results in ${jsonFile}${only.has('throughput') ? `, chart in ${chartFile}` : ''}`);
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	},
);
