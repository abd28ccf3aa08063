/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions, no-console -- development-only code, never shipped in dist/ */
/**
 * npm run bench:convert — converts a seeded ~2.5 MB Windows result document and one ten times
 * larger (about 7,000 registry reads per process, reads included) several times each, once with
 * the default caps and once uncapped, and prints median milliseconds, MB/s, sampled peak heap
 * and the large/small time ratio (linear scaling gives about 10; the limit is 12). Then an
 * adversarial report (subjects sharing ids, chains, huge arrays; see
 * test/unit/converter/adversarialReports.ts) of 1, 10 and 100 MB (BENCH_ADVERSARIAL_MB), and
 * the slowest value check of each attribute type on 64 KB adversarial strings (goal < 10 ms).
 * Last, `npm run convert` as a process: start-up on a tiny report (goal ≤ 0.3 s) and the whole
 * process on a 3.3 MB report against the same work in-process (goal ≤ in-process + 0.3 s).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateResultDocument } from '../simulator/ata/reportGenerator';
import {
	DEFAULT_LIMITS,
	toMispEvent,
	toMispResults,
	type Limits,
} from '../nodes/shared/misp/converter';
import { ATTRIBUTE_TYPES } from '../nodes/shared/misp/attributeTypes';
import { checkValue } from '../nodes/shared/misp/values';
import { adversarialReportOfSize } from '../test/unit/converter/adversarialReports';
import { adversarialValues } from '../test/unit/misp/adversarialValues';
import { median } from './median';

const RUNS = Number(process.env.BENCH_RUNS ?? 7) || 7;
const SIZES = [2_500_000, 25_000_000];
const ADVERSARIAL_MB = (process.env.BENCH_ADVERSARIAL_MB ?? '1,10,100')
	.split(',')
	.map(Number)
	.filter((mb) => mb > 0);
const MB = 1024 * 1024;

interface Figures {
	bytes: number;
	medianMs: number;
	parseMs: number;
	peakHeapMb: number;
	objects: number;
	warnings: number;
}

// Caps bound the output, so the default run grows sub-linearly; the uncapped run shows the raw scaling.
const UNCAPPED: Partial<Limits> = Object.fromEntries(
	Object.keys(DEFAULT_LIMITS).map((name) => [name, name === 'warnings' ? 200 : 1e9]),
);

function bench(json: string, limits?: Partial<Limits>, runs = RUNS): Figures {
	const bytes = Buffer.byteLength(json);
	const parseTimes: number[] = [];
	const times: number[] = [];
	let peakHeap = 0;
	let objects = 0;
	let warnings = 0;
	// With --expose-gc (npm run bench:convert), heap figures are what one conversion holds live:
	// the parsed report plus the output, measured right after converting.
	const gc = (globalThis as { gc?: () => void }).gc;
	for (let run = 0; run < runs + 1; run++) {
		gc?.();
		let start = performance.now();
		const parsed: unknown = JSON.parse(json);
		const parseMs = performance.now() - start;
		start = performance.now();
		const out = toMispEvent(parsed, {
			analysisLink: 'https://user.lastline.com/portal#/analyst/task/0/overview',
			includeRegistryReads: true,
			limits,
		});
		const ms = performance.now() - start;
		peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
		objects = out.Event.Object.length;
		warnings = out.warnings.length;
		if (run === 0) continue; // warm-up
		times.push(ms);
		parseTimes.push(parseMs);
	}
	return {
		bytes,
		medianMs: median(times),
		parseMs: median(parseTimes),
		peakHeapMb: peakHeap / MB,
		objects,
		warnings,
	};
}

function print(results: Figures[], ratioLimit: number): boolean {
	for (const r of results) {
		console.log(
			`${(r.bytes / MB).toFixed(1).padStart(7)} MB: convert median ${r.medianMs.toFixed(1)} ms ` +
				`(${(r.bytes / MB / (r.medianMs / 1000)).toFixed(1)} MB/s), JSON.parse ${r.parseMs.toFixed(1)} ms, ` +
				`peak heap ${r.peakHeapMb.toFixed(0)} MB (sampled), ${r.objects} objects, ${r.warnings} warnings`,
		);
	}
	const first = results[0];
	const last = results[results.length - 1];
	const ratio = last.medianMs / first.medianMs;
	const sizeRatio = last.bytes / first.bytes;
	console.log(
		`  time ratio large/small: ${ratio.toFixed(2)} for ${sizeRatio.toFixed(1)}x the input (limit ${ratioLimit})`,
	);
	return ratio <= ratioLimit;
}

/** The slowest single check (best of 3 tries) per type over all adversarial strings. */
function valueChecks(): boolean {
	const values = adversarialValues();
	const slowest = Object.keys(ATTRIBUTE_TYPES).map((type) => {
		let worst = 0;
		for (const value of values) {
			let best = Infinity;
			for (let i = 0; i < 3; i++) {
				const start = performance.now();
				checkValue(type, value);
				best = Math.min(best, performance.now() - start);
			}
			worst = Math.max(worst, best);
		}
		return { type, ms: worst };
	});
	slowest.sort((a, b) => b.ms - a.ms);
	console.log(
		`value checks on ${values.length} adversarial 64 KB strings: slowest ${slowest[0].ms.toFixed(2)} ms (${slowest[0].type}), ` +
			`then ${slowest
				.slice(1, 4)
				.map((s) => `${s.type} ${s.ms.toFixed(2)} ms`)
				.join(', ')}; median type ${slowest[Math.floor(slowest.length / 2)].ms.toFixed(2)} ms (goal < 10 ms)`,
	);
	return slowest[0].ms < 10;
}

let met = valueChecks();
const seeded = SIZES.map((targetBytes) =>
	JSON.stringify(generateResultDocument({ kind: 'file', seed: 20240318, targetBytes })),
);
for (const [label, limits] of [
	['default limits', undefined],
	['uncapped', UNCAPPED],
] as const) {
	console.log(`${label}:`);
	met = print(seeded.map((json) => bench(json, limits)), 12) && met;
}

if (ADVERSARIAL_MB.length > 0) {
	// Fewer runs for the big ones: the point is scaling and memory, not a precise median.
	console.log('adversarial report, default limits:');
	const results = ADVERSARIAL_MB.map((mb) =>
		bench(JSON.stringify(adversarialReportOfSize('mixed', mb * MB)), undefined, mb >= 50 ? 1 : 3),
	);
	const sizeRatio = results[results.length - 1].bytes / results[0].bytes;
	met = print(results, Math.ceil(sizeRatio * 1.2)) && met;
}
/** Wall-clock seconds of one command, output discarded. */
function wallSeconds(command: string, args: string[]): number {
	const start = performance.now();
	const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
	if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${String(result.stderr)}`);
	return (performance.now() - start) / 1000;
}

/** What `npm run convert` does, in this (warm) process: read, parse, convert, print. */
function inProcessSeconds(file: string): number {
	const start = performance.now();
	const { warnings, ...results } = toMispResults(JSON.parse(readFileSync(file, 'utf8')), {});
	writeFileSync('/dev/null', `${JSON.stringify(results, null, 2)}\n${warnings.join('\n')}`);
	return (performance.now() - start) / 1000;
}

function cliFigures(): boolean {
	const dir = mkdtempSync(join(tmpdir(), 'bench-convert-'));
	try {
		const tiny = join(dir, 'tiny.json');
		writeFileSync(tiny, JSON.stringify({ task_uuid: '0'.repeat(32), score: 0, analysis_subject: {} }));
		const big = join(dir, 'report.json');
		writeFileSync(
			big,
			JSON.stringify(generateResultDocument({ kind: 'file', seed: 20240318, targetBytes: 3_300_000 })),
		);
		const cli = join(__dirname, '..', 'scripts', 'runConvert.js');
		wallSeconds(process.execPath, [cli, tiny]); // compiles when the compiled copy is stale
		const runs = Math.max(3, Math.min(RUNS, 7));
		const repeat = (f: () => number) => median(Array.from({ length: runs }, f));
		const startNode = repeat(() => wallSeconds(process.execPath, [cli, tiny]));
		const startNpm = repeat(() => wallSeconds('npm', ['run', '-s', 'convert', '--', tiny]));
		inProcessSeconds(big); // warm-up
		const inProcess = repeat(() => inProcessSeconds(big));
		const wholeNode = repeat(() => wallSeconds(process.execPath, [cli, big]));
		const wholeNpm = repeat(() => wallSeconds('npm', ['run', '-s', 'convert', '--', big]));
		const mb = (Buffer.byteLength(readFileSync(big)) / MB).toFixed(1);
		console.log(
			`npm run convert: start-up ${startNpm.toFixed(2)} s (node scripts/runConvert.js ${startNode.toFixed(2)} s), goal ≤ 0.3 s`,
		);
		console.log(
			`npm run convert on ${mb} MB: whole process ${wholeNpm.toFixed(2)} s (node ${wholeNode.toFixed(2)} s), ` +
				`in-process ${inProcess.toFixed(2)} s, difference ${(wholeNpm - inProcess).toFixed(2)} s, goal ≤ 0.3 s`,
		);
		return startNpm <= 0.3 && wholeNpm - inProcess <= 0.3;
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

if (process.env.BENCH_CLI !== '0') met = cliFigures() && met;
if (!met) process.exitCode = 1;
