/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
/**
 * Bench 2: API calls per completed analysis while 200 analyses finish at random times within a
 * 60 s window. Time is scaled 6:1 so a run takes about 10 s of wall time: the simulator's clock
 * runs six times faster than the real one, completions are spread over 10 real seconds, and the
 * 1 s poll interval (the node's minimum) stands for 6 s. Paths: Submit URL with Wait for Completion,
 * the NSX ATA Trigger polled every interval, the incomplete-sweep playbook run three times in the
 * window, and the baseline the old modules imply: one get_progress per task per interval.
 */
import { performance } from 'node:perf_hooks';

import { pollTrigger, runWorkflow } from '../dev/engine';
import { loadPlaybook, playbookCredentials } from '../dev/playbooks';
import { INCOMPLETE } from '../dev/mispState';
import { simulatorAnalystClient } from '../dev/undiciTransport';
import { buildAnalysisLink } from '../nodes/shared/ata/links';
import { type AtaSimulator, startAtaSimulator } from '../simulator/ata';
import { startMispSimulator } from '../simulator/misp';
import { nsxAtaWorkflow, simulatorCredentials, triggerWorkflow } from './benchWorkflows';

const TASKS = 200;
const SCALE = 6;
const WINDOW_MS = 60_000 / SCALE;
const INTERVAL_MS = 1000;

export interface WaitingFigures {
	path: string;
	completed: number;
	/** Cursor and progress polls. */
	pollCalls: number;
	/** Every call except submissions and logins (polls plus fetching the finished results). */
	allCalls: number;
	pollCallsPerCompletion: number;
	callsPerCompletion: number;
	seconds: number;
}

/** A deterministic generator, so every path sees the same completion times. */
function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state * 1664525 + 1013904223) >>> 0;
		return state / 2 ** 32;
	};
}

async function startScaledSimulator(): Promise<AtaSimulator> {
	const origin = Date.now();
	return await startAtaSimulator({
		clock: () => origin + (Date.now() - origin) * SCALE,
		completeAfterMs: 24 * 3_600_000, // never on its own: completeWithinWindow decides
		reportSizeBytes: 2000,
		seed: 1,
	});
}

/** Completes each task (seeded now, or submitted later) at a random moment of the window after it appeared. */
function completeWithinWindow(sim: AtaSimulator, seeded: string[]): () => void {
	const random = seededRandom(7);
	const timers: NodeJS.Timeout[] = [];
	const scheduled = new Set<string>();
	const schedule = (task: string) => {
		if (scheduled.has(task)) return;
		scheduled.add(task);
		timers.push(setTimeout(() => sim.taskState(task) === 'pending' && sim.completeTask(task), random() * WINDOW_MS));
	};
	seeded.forEach(schedule);
	const watcher = setInterval(() => sim.submissions.forEach((submission) => schedule(submission.taskUuid)), 10);
	return () => {
		clearInterval(watcher);
		timers.forEach(clearTimeout);
	};
}

function figures(sim: AtaSimulator, path: string, completed: number, started: number): WaitingFigures {
	const routes = sim.requests.map((request) => request.route ?? '');
	const pollCalls = routes.filter((route) => /completed|get_progress/.test(route)).length;
	const allCalls = routes.filter((route) => !/submit|login/.test(route)).length;
	return {
		path,
		completed,
		pollCalls,
		allCalls,
		pollCallsPerCompletion: pollCalls / completed,
		callsPerCompletion: allCalls / completed,
		seconds: (performance.now() - started) / 1000,
	};
}

/** Pending URL analyses with a small result (two MISP objects), so the sweep's MISP posts stay cheap. */
function seedPending(sim: AtaSimulator, label: string): string[] {
	return Array.from({ length: TASKS }, (_, i) => {
		const url = `https://wait.example/${label}/${i}`;
		return sim.addTask({ kind: 'url', url, state: 'pending', result: { analysis_subject: { url }, score: i % 100, malicious_activity: [] } });
	});
}

async function submitWithWait(): Promise<WaitingFigures> {
	const sim = await startScaledSimulator();
	const stop = completeWithinWindow(sim, []);
	try {
		const started = performance.now();
		const result = await runWorkflow(
			nsxAtaWorkflow({
				operation: 'submitUrl',
				url: '={{ $json.url }}',
				waitForCompletion: true,
				pollIntervalSeconds: INTERVAL_MS / 1000,
				maxWaitSeconds: 60,
				// Default concurrency (8): a submitted item gives its slot back while it waits.
				options: {},
			}),
			{
				triggerItems: Array.from({ length: TASKS }, (_, i) => ({ json: { url: `https://wait.example/submit/${i}` } })),
				credentials: simulatorCredentials(sim),
			},
		);
		const completed = result.output('NSX ATA').filter((item) => item.json.status === 'complete').length;
		return figures(sim, 'Submit URL + Wait for Completion (default concurrency 8)', completed, started);
	} finally {
		stop();
		await sim.close();
	}
}

async function trigger(): Promise<WaitingFigures> {
	const sim = await startScaledSimulator();
	const seeded = seedPending(sim, 'trigger');
	const credentials = simulatorCredentials(sim);
	// The first poll fixes the cursor before anything completes, as an activated trigger does.
	let staticData = (await pollTrigger(triggerWorkflow(), 'NSX ATA Trigger', { mode: 'trigger', staticData: {}, credentials })).staticData;
	const stop = completeWithinWindow(sim, seeded);
	const started = performance.now();
	let emitted = 0;
	try {
		while (emitted < TASKS && performance.now() - started < WINDOW_MS + 5000) {
			await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
			const poll = await pollTrigger(triggerWorkflow(), 'NSX ATA Trigger', { mode: 'trigger', staticData, credentials });
			staticData = poll.staticData;
			emitted += poll.items?.[0]?.length ?? 0;
		}
		return figures(sim, 'NSX ATA Trigger, one poll per interval', emitted, started);
	} finally {
		stop();
		await sim.close();
	}
}

async function sweep(): Promise<WaitingFigures> {
	const sim = await startScaledSimulator();
	const misp = await startMispSimulator();
	const seeded = seedPending(sim, 'sweep');
	for (let event = 0; event < 10; event++) {
		misp.createEvent({
			info: `bench ${event}`,
			Attribute: seeded.slice(event * 20, event * 20 + 20).map((task) => ({
				type: 'link',
				category: 'External analysis',
				value: buildAnalysisLink(new URL(sim.portalUrl), task),
				Tag: [INCOMPLETE],
			})),
		});
	}
	const stop = completeWithinWindow(sim, seeded);
	const started = performance.now();
	const endpoints = { ata: sim, misp };
	try {
		// Three sweeps: a third into the window, two thirds in, and after it.
		for (const at of [WINDOW_MS / 3, (2 * WINDOW_MS) / 3, WINDOW_MS + 500]) {
			const wait = at - (performance.now() - started);
			if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
			const run = await runWorkflow(loadPlaybook('incomplete-sweep', misp.url), { credentials: playbookCredentials(endpoints) });
			if (run.error) throw new Error(`sweep failed: ${run.error.message}`);
		}
		const stillIncomplete = misp.events().flatMap((event) => event.Event.Attribute).filter((a) => (a.Tag ?? []).some((tag) => tag.name === INCOMPLETE)).length;
		return figures(sim, 'Incomplete sweep, 3 runs in the window', TASKS - stillIncomplete, started);
	} finally {
		stop();
		await Promise.all([sim.close(), misp.close()]);
	}
}

async function perTaskPolling(): Promise<WaitingFigures> {
	const sim = await startScaledSimulator();
	const seeded = seedPending(sim, 'baseline');
	const stop = completeWithinWindow(sim, seeded);
	const client = simulatorAnalystClient(sim);
	const started = performance.now();
	try {
		let completed = 0;
		await Promise.all(
			seeded.map(async (task) => {
				for (;;) {
					if ((await client.getProgress(task)).complete) break;
					await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
				}
				await client.getResult(task);
				completed += 1;
			}),
		);
		return figures(sim, 'Baseline: get_progress per task per interval', completed, started);
	} finally {
		stop();
		await sim.close();
	}
}

export async function waitingBench(log: (line: string) => void): Promise<WaitingFigures[]> {
	const results: WaitingFigures[] = [];
	for (const path of [submitWithWait, trigger, sweep, perTaskPolling]) {
		const result = await path();
		log(`  ${result.path}: ${result.completed} completed, ${result.callsPerCompletion.toFixed(2)} calls per completion`);
		results.push(result);
	}
	return results;
}
