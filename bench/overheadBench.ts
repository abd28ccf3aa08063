/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development-only code, never shipped in dist/ */
/**
 * Bench 5: the same 500 status checks through the NSX ATA node in n8n's engine (Get Status,
 * default concurrency 8) and through the ATA client directly with the same concurrency, fresh
 * login included in both. Alternating repeats; the ratio of the medians is reported.
 */
import { performance } from 'node:perf_hooks';

import { runWorkflow } from '../dev/engine';
import { simulatorAnalystClient } from '../dev/undiciTransport';
import { type AtaSimulator, startAtaSimulator } from '../simulator/ata';
import { nsxAtaWorkflow, simulatorCredentials } from './benchWorkflows';
import { median } from './median';

const CHECKS = 500;
const CONCURRENCY = 8;

export interface OverheadFigures {
	latencyMs: number;
	engineMs: number;
	directMs: number;
	ratio: number;
}

async function direct(sim: AtaSimulator, tasks: string[]): Promise<number> {
	const started = performance.now();
	const client = simulatorAnalystClient(sim);
	let next = 0;
	const lane = async () => {
		while (next < tasks.length) {
			const progress = await client.getProgress(tasks[next++]);
			if (!progress.complete) throw new Error('expected complete tasks');
		}
	};
	await Promise.all(Array.from({ length: CONCURRENCY }, lane));
	return performance.now() - started;
}

async function engine(sim: AtaSimulator, tasks: string[]): Promise<number> {
	const started = performance.now();
	const result = await runWorkflow(nsxAtaWorkflow({ operation: 'getStatus', statusLink: '={{ $json.task }}' }), {
		triggerItems: tasks.map((task) => ({ json: { task } })),
		credentials: simulatorCredentials(sim),
	});
	const items = result.output('NSX ATA');
	if (items.length !== tasks.length || items.some((item) => item.json.status !== 'complete')) throw new Error('status checks failed');
	return performance.now() - started;
}

export async function overheadBench(latencyMs: number, repeats: number): Promise<OverheadFigures> {
	const sim = await startAtaSimulator({ latencyMs, seed: 1 });
	try {
		const tasks = Array.from({ length: CHECKS }, (_, i) => sim.addTask({ kind: 'url', url: `https://status.example/${i}` }));
		await engine(sim, tasks.slice(0, 20)); // warm-up
		await direct(sim, tasks.slice(0, 20));
		const engineRuns: number[] = [];
		const directRuns: number[] = [];
		for (let i = 0; i < repeats; i++) {
			directRuns.push(await direct(sim, tasks));
			engineRuns.push(await engine(sim, tasks));
		}
		const engineMs = median(engineRuns);
		const directMs = median(directRuns);
		return { latencyMs, engineMs, directMs, ratio: engineMs / directMs };
	} finally {
		await sim.close();
	}
}
