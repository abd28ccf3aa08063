/**
 * Runs one async job per input item with bounded concurrency, keeping n8n's item semantics:
 * outputs in input order with `pairedItem`, and with Continue On Fail an error item per failed
 * input (carrying its input and the reason) instead of losing the other items.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { errorJson, toNodeError } from './nodeErrors';

/**
 * An item whose remaining work is only waiting (e.g. for an analysis to finish): it gives its
 * concurrency slot back, so waiting items do not hold up the submission of the others.
 */
export interface WaitingItem {
	afterWaiting: Promise<INodeExecutionData[]>;
}

export type ItemJob = (itemIndex: number) => Promise<INodeExecutionData[] | WaitingItem>;

export async function runItems(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	concurrency: number,
	job: ItemJob,
): Promise<INodeExecutionData[]> {
	const node = context.getNode();
	const continueOnFail = context.continueOnFail();
	const routesErrorsToOwnOutput = node.onError === 'continueErrorOutput';
	const results: INodeExecutionData[][] = new Array(items.length);
	const waiting: Array<Promise<void>> = [];
	let next = 0;
	const stop: { failure?: { index: number; error: unknown } } = {};

	const succeed = (itemIndex: number, output: INodeExecutionData[]) => {
		results[itemIndex] = output.map((item) => ({ ...item, pairedItem: { item: itemIndex } }));
	};
	const fail = (itemIndex: number, error: unknown) => {
		if (!continueOnFail) {
			// Without Continue On Fail the earliest failed item is reported and no new item starts.
			if (!stop.failure || itemIndex < stop.failure.index) stop.failure = { index: itemIndex, error };
			return;
		}
		const nodeError = toNodeError(node, error, itemIndex);
		// With "Continue (using error output)" n8n recognises an item made of only `error` and
		// `details` and adds the input back itself; on the regular output the input is kept here.
		const json = routesErrorsToOwnOutput
			? { error: nodeError.message, details: errorJson(nodeError) }
			: { ...items[itemIndex].json, error: nodeError.message, details: errorJson(nodeError) };
		results[itemIndex] = [{ json, pairedItem: { item: itemIndex } }];
	};

	const worker = async (): Promise<void> => {
		while (stop.failure === undefined && next < items.length) {
			const itemIndex = next++;
			try {
				const output = await job(itemIndex);
				if (Array.isArray(output)) succeed(itemIndex, output);
				else {
					waiting.push(
						output.afterWaiting.then(
							(later) => succeed(itemIndex, later),
							(error: unknown) => fail(itemIndex, error),
						),
					);
				}
			} catch (error) {
				fail(itemIndex, error);
			}
		}
	};

	const workers = Math.max(1, Math.min(Math.floor(concurrency) || 1, items.length));
	await Promise.all(Array.from({ length: workers }, worker));
	await Promise.all(waiting);
	if (stop.failure) throw toNodeError(node, stop.failure.error, stop.failure.index);
	return results.flat();
}
