/**
 * Runs one async job per input item with bounded concurrency, keeping n8n's item semantics:
 * outputs in input order with `pairedItem`, and with Continue On Fail an error item per failed
 * input (carrying its input and the reason) instead of losing the other items.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { errorJson, toNodeError } from './nodeErrors';

export type ItemJob = (itemIndex: number) => Promise<INodeExecutionData[]>;

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
	let next = 0;
	const stop: { failure?: { index: number; error: unknown } } = {};
	// Without Continue On Fail the earliest failed item is reported and no new item starts.
	const recordFailure = (index: number, error: unknown) => {
		if (!stop.failure || index < stop.failure.index) stop.failure = { index, error };
	};

	const worker = async (): Promise<void> => {
		while (stop.failure === undefined && next < items.length) {
			const itemIndex = next++;
			try {
				const output = await job(itemIndex);
				results[itemIndex] = output.map((item) => ({ ...item, pairedItem: { item: itemIndex } }));
			} catch (error) {
				if (!continueOnFail) {
					recordFailure(itemIndex, error);
					continue;
				}
				const nodeError = toNodeError(node, error, itemIndex);
				// With "Continue (using error output)" n8n recognises an item made of only `error` and
				// `details` and adds the input back itself; on the regular output the input is kept here.
				const json = routesErrorsToOwnOutput
					? { error: nodeError.message, details: errorJson(nodeError) }
					: { ...items[itemIndex].json, error: nodeError.message, details: errorJson(nodeError) };
				results[itemIndex] = [{ json, pairedItem: { item: itemIndex } }];
			}
		}
	};

	const workers = Math.max(1, Math.min(Math.floor(concurrency) || 1, items.length));
	await Promise.all(Array.from({ length: workers }, worker));
	if (stop.failure) throw toNodeError(node, stop.failure.error, stop.failure.index);
	return results.flat();
}
