/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console -- development-only code, never shipped in dist/ */
/**
 * npm run bench:convert — converts a seeded ~2.5 MB Windows result document and one ten times
 * larger (about 7,000 registry reads per process, reads included) several times each, once with
 * the default caps and once uncapped, and prints median milliseconds, MB/s, sampled peak heap
 * and the large/small time ratio (linear scaling gives about 10; the limit is 12).
 */
import { generateResultDocument } from '../simulator/ata/reportGenerator';
import { DEFAULT_LIMITS, toMispEvent, type Limits } from '../nodes/shared/misp/converter';

const RUNS = Number(process.env.BENCH_RUNS ?? 7) || 7;
const SIZES = [2_500_000, 25_000_000];
const MB = 1024 * 1024;

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

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

function bench(targetBytes: number, limits?: Partial<Limits>): Figures {
	const document = generateResultDocument({ kind: 'file', seed: 20240318, targetBytes });
	const json = JSON.stringify(document);
	const bytes = Buffer.byteLength(json);
	const parseTimes: number[] = [];
	const times: number[] = [];
	let peakHeap = 0;
	let objects = 0;
	let warnings = 0;
	for (let run = 0; run < RUNS + 1; run++) {
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

let worst = 0;
for (const [label, limits] of [
	['default limits', undefined],
	['uncapped', UNCAPPED],
] as const) {
	console.log(`${label}:`);
	const results = SIZES.map((size) => bench(size, limits));
	for (const r of results) {
		console.log(
			`${(r.bytes / MB).toFixed(1).padStart(7)} MB: convert median ${r.medianMs.toFixed(1)} ms ` +
				`(${(r.bytes / MB / (r.medianMs / 1000)).toFixed(1)} MB/s), JSON.parse ${r.parseMs.toFixed(1)} ms, ` +
				`peak heap ${r.peakHeapMb.toFixed(0)} MB (sampled), ${r.objects} objects, ${r.warnings} warnings`,
		);
	}
	const ratio = results[1].medianMs / results[0].medianMs;
	const sizeRatio = results[1].bytes / results[0].bytes;
	console.log(
		`  time ratio large/small: ${ratio.toFixed(2)} for ${sizeRatio.toFixed(1)}x the input (limit 12)`,
	);
	worst = Math.max(worst, ratio);
}
if (worst > 12) process.exitCode = 1;
