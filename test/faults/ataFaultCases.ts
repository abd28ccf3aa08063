/**
 * The ATA fault matrix: every fault the simulator can inject, as a 200-item batch through the
 * NSX ATA node in n8n's engine (Submit URL, with and without Bypass Cache, and Query), and the
 * checks every batch must pass. Shared by the fault suite and the secrets scan of the security suite.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { AtaSimulator, FaultSpec } from '../../simulator/ata';
import { runNsxAta, type NodeRun } from '../support/nodeRuns';

/** The node's policy (DEFAULT_RETRY_POLICY): attempts per call; a re-login repeats one attempt once. */
export const MAX_ATTEMPTS = 5;

export interface FaultCase {
	name: string;
	fault: Omit<FaultSpec, 'route'>;
	/** The request had no effect (nothing submitted) whenever the fault fired. */
	noEffect: boolean;
	/** A retry of a submission with Bypass Cache on would start a second analysis. */
	unsafeToRepeat: boolean;
}

/** Rates keep most items succeeding after retries while every fault still fires many times. */
export const ATA_FAULTS: FaultCase[] = [
	{ name: '429 + Retry-After', fault: { kind: 'http429', rate: 0.2, retryAfterSeconds: 0 }, noEffect: true, unsafeToRepeat: false },
	{ name: '500', fault: { kind: 'http500', rate: 0.15 }, noEffect: true, unsafeToRepeat: false },
	{ name: '500 after processing', fault: { kind: 'http500', rate: 0.15, phase: 'after' }, noEffect: false, unsafeToRepeat: true },
	{ name: '503', fault: { kind: 'http503', rate: 0.15 }, noEffect: true, unsafeToRepeat: false },
	{ name: 'error 107', fault: { kind: 'error107', rate: 0.15 }, noEffect: true, unsafeToRepeat: false },
	{ name: 'error 115', fault: { kind: 'error115', rate: 0.1 }, noEffect: true, unsafeToRepeat: false },
	{ name: 'session expiry 122', fault: { kind: 'sessionExpired', rate: 0.1 }, noEffect: true, unsafeToRepeat: false },
	{ name: 'connection reset', fault: { kind: 'reset', rate: 0.1 }, noEffect: true, unsafeToRepeat: false },
	{ name: 'reset after processing', fault: { kind: 'reset', rate: 0.1, phase: 'after' }, noEffect: false, unsafeToRepeat: true },
	{ name: 'HTML gateway page 502', fault: { kind: 'gatewayHtml', rate: 0.1 }, noEffect: true, unsafeToRepeat: false },
	{ name: 'HTML gateway 504 after processing', fault: { kind: 'gatewayHtml', status: 504, rate: 0.1, phase: 'after' }, noEffect: false, unsafeToRepeat: true },
	// A gateway's 503 page (no ATA envelope) may follow a forwarded request: unknown outcome, unlike ATA's own 503.
	// (The simulator's gateway titles know 502 and 504; the page for 503 is the same HTML with a bare status.)
	{ name: 'HTML gateway 503 after processing', fault: { kind: 'gatewayHtml', status: 503 as FaultSpec['status'], rate: 0.1, phase: 'after' }, noEffect: false, unsafeToRepeat: true },
	{ name: 'truncated JSON', fault: { kind: 'truncatedJson', rate: 0.1 }, noEffect: false, unsafeToRepeat: true },
	{ name: 'slow body', fault: { kind: 'slowBody', rate: 0.1, chunkBytes: 64, chunkIntervalMs: 5 }, noEffect: false, unsafeToRepeat: false },
];

export interface BatchOutcome {
	items: INodeExecutionData[];
	/** Every text the run produced that a secret could leak into. */
	texts: string[];
}

export const batchUrls = (label: string, count = 200): string[] =>
	Array.from({ length: count }, (_, i) => `https://batch.example/${encodeURIComponent(label)}/${i}`);

/** One workflow fixture over `items` through the engine with Continue On Fail: the run itself must not fail. */
async function nodeBatch(
	sim: AtaSimulator,
	file: string,
	items: INodeExecutionData[],
	parameters: NodeRun['parameters'],
	run: Partial<NodeRun>,
): Promise<BatchOutcome> {
	const result = await runNsxAta(sim, file, { continueOnFail: true, items, parameters, ...run });
	expect(result.error).toBeUndefined();
	const outputs = result.output('NSX ATA');
	return { items: outputs, texts: outputs.map((item) => JSON.stringify(item.json)) };
}

/** Submit URL for every URL through the engine with Continue On Fail. */
export async function submitBatch(
	sim: AtaSimulator,
	urls: string[],
	bypassCache: boolean,
	run: Partial<NodeRun> = {},
): Promise<BatchOutcome> {
	const items = urls.map((url) => ({ json: { url } }));
	const parameters = { options: { bypassCache }, ...run.parameters };
	return await nodeBatch(sim, 'nsx-ata-submit-url.json', items, parameters, { ...run, parameters });
}

/** Query (one collections item per link) for every link through the engine with Continue On Fail. */
export async function queryBatch(sim: AtaSimulator, links: string[], run: Partial<NodeRun> = {}): Promise<BatchOutcome> {
	const items = links.map((value) => ({ json: { value } }));
	return await nodeBatch(sim, 'nsx-ata-query.json', items, { analysisLink: '={{ $json.value }}' }, run);
}

/** Every input comes out exactly once, in order and paired, as a result or an error item. */
export function expectOneItemPerInput(items: INodeExecutionData[], inputs: string[], inputField: string): void {
	expect(items).toHaveLength(inputs.length);
	expect(items.map((item) => item.pairedItem)).toEqual(inputs.map((_, item) => ({ item })));
	items.forEach((item, index) => {
		const json = item.json;
		const echoed = json.error === undefined && inputField === 'url' ? (json.submitted as IDataObject).url : json[inputField];
		expect(echoed).toBe(inputs[index]);
	});
}

/** Submissions the simulator accepted per URL, and the distinct analyses they named. */
export function submissionsByUrl(sim: AtaSimulator): Map<string, { count: number; fresh: number; tasks: Set<string> }> {
	const byUrl = new Map<string, { count: number; fresh: number; tasks: Set<string> }>();
	for (const submission of sim.submissions) {
		const entry = byUrl.get(submission.contentKey) ?? { count: 0, fresh: 0, tasks: new Set<string>() };
		entry.count += 1;
		if (!submission.cached) entry.fresh += 1;
		entry.tasks.add(submission.taskUuid);
		byUrl.set(submission.contentKey, entry);
	}
	return byUrl;
}

/** Requests that reached the submit route per URL: the retry budget bounds them. */
export function submitAttemptsByUrl(sim: AtaSimulator): Map<string, number> {
	const attempts = new Map<string, number>();
	for (const request of sim.requests) {
		if (request.route !== 'analysis/submit/url') continue;
		const url = request.fields.url;
		attempts.set(url, (attempts.get(url) ?? 0) + 1);
	}
	return attempts;
}
