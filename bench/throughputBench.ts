/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
/**
 * Bench 1: 500 submissions (250 URLs, 250 small files) through the NSX ATA node in n8n's engine
 * against the ATA simulator with 50 ms latency and a server-side cap of 8 requests in flight:
 * the cap divided by the latency (160 requests/s) is the limit no client can beat.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';

import type { INodeExecutionData } from 'n8n-workflow';

import { runWorkflow } from '../dev/engine';
import { type AtaSimulator, startAtaSimulator } from '../simulator/ata';
import { nsxAtaWorkflow, simulatorCredentials } from './benchWorkflows';

export const LATENCY_MS = 50;
export const CAP = 8;
export const LIMIT_PER_SECOND = CAP / (LATENCY_MS / 1000);

export interface ThroughputRun {
	concurrency: number;
	lookUpHashFirst: boolean;
	submissions: number;
	seconds: number;
	submissionsPerSecond: number;
	requestsPerSecond: number;
	/** Requests the simulator refused with 429 because the cap was reached. */
	refused429: number;
}

let counter = 0;

async function batch(sim: AtaSimulator, concurrency: number, size: number, lookUpHashFirst: boolean): Promise<ThroughputRun> {
	sim.reset();
	const label = `${process.pid}-${counter++}`;
	const urls: INodeExecutionData[] = Array.from({ length: size / 2 }, (_, i) => ({ json: { url: `https://bench.example/${label}/${i}` } }));
	const files: INodeExecutionData[] = Array.from({ length: size / 2 }, (_, i) => ({
		json: {},
		binary: { data: { data: randomBytes(2048).toString('base64'), mimeType: 'application/octet-stream', fileName: `s${i}.bin` } },
	}));
	const credentials = simulatorCredentials(sim);
	const started = performance.now();
	const byUrl = await runWorkflow(nsxAtaWorkflow({ operation: 'submitUrl', url: '={{ $json.url }}', options: { concurrency } }), { triggerItems: urls, credentials });
	const byFile = await runWorkflow(
		nsxAtaWorkflow({ operation: 'submitFile', binaryPropertyName: 'data', lookUpHashFirst, options: { concurrency } }),
		{ triggerItems: files, credentials },
	);
	const seconds = (performance.now() - started) / 1000;
	const failed = [...byUrl.output('NSX ATA'), ...byFile.output('NSX ATA')].filter((item) => item.json.error);
	if (byUrl.error || byFile.error || failed.length > 0) throw new Error(`throughput batch failed: ${byUrl.error?.message ?? byFile.error?.message ?? failed[0].json.error}`);
	const submissions = sim.submissions.length;
	return {
		concurrency,
		lookUpHashFirst,
		submissions,
		seconds,
		submissionsPerSecond: submissions / seconds,
		requestsPerSecond: sim.requests.length / seconds,
		refused429: sim.requests.filter((request) => request.status === 429).length,
	};
}

export interface ThroughputFigures {
	oneAtATime: ThroughputRun;
	defaults: ThroughputRun;
	speedUp: number;
	fractionOfLimit: number;
	requestFractionOfLimit: number;
	withoutHashLookUp: ThroughputRun;
	sweep: ThroughputRun[];
}

export async function throughputBench(log: (line: string) => void): Promise<ThroughputFigures> {
	const sim = await startAtaSimulator({ latencyMs: LATENCY_MS, concurrencyCap: CAP, seed: 1 });
	try {
		await batch(sim, 8, 40, true); // warm-up: engine, node types, connections
		const defaultsRuns: ThroughputRun[] = [];
		for (let i = 0; i < 3; i++) defaultsRuns.push(await batch(sim, 8, 500, true));
		const defaults = defaultsRuns.sort((a, b) => a.seconds - b.seconds)[1];
		log(`  default settings (concurrency 8): median of 3: ${defaults.submissionsPerSecond.toFixed(1)}/s`);
		const oneAtATime = await batch(sim, 1, 500, true);
		log(`  one at a time: ${oneAtATime.submissionsPerSecond.toFixed(1)}/s`);
		const withoutHashLookUp = await batch(sim, 8, 500, false);
		const sweep: ThroughputRun[] = [oneAtATime];
		for (const concurrency of [2, 4, 8, 16]) {
			const run = concurrency === 8 ? defaults : await batch(sim, concurrency, 250, true);
			sweep.push(run);
			log(`  concurrency ${concurrency}: ${run.submissionsPerSecond.toFixed(1)}/s`);
		}
		return {
			oneAtATime,
			defaults,
			speedUp: defaults.submissionsPerSecond / oneAtATime.submissionsPerSecond,
			fractionOfLimit: defaults.submissionsPerSecond / LIMIT_PER_SECOND,
			requestFractionOfLimit: defaults.requestsPerSecond / LIMIT_PER_SECOND,
			withoutHashLookUp,
			sweep,
		};
	} finally {
		await sim.close();
	}
}
