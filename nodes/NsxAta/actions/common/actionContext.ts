/** What every action gets for one node execution: the n8n context, the connection, the watcher. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { CompletionWatcher } from '../../../shared/ata/completionWatcher';
import type { AtaConnection } from '../../../shared/ata/n8nClients';
import type { WaitingItem } from '../../../shared/n8n/itemRunner';

export interface ActionContext {
	fn: IExecuteFunctions;
	connection: AtaConnection;
	signal: AbortSignal | undefined;
	/** One watcher per execution and poll interval, shared by all items that wait. */
	watcher(intervalMs: number): CompletionWatcher | undefined;
}

export interface Action {
	/** Parameters of this operation (their displayOptions name the operation). */
	properties: INodeProperties[];
	/** The item's output, or a `WaitingItem` when only waiting remains (its slot is released). */
	run(context: ActionContext, itemIndex: number): Promise<INodeExecutionData[] | WaitingItem>;
}

export function createActionContext(
	fn: IExecuteFunctions,
	connection: AtaConnection,
	signal: AbortSignal | undefined,
): ActionContext {
	let shared: CompletionWatcher | undefined;
	return {
		fn,
		connection,
		signal,
		watcher(intervalMs) {
			if (!connection.analyst) return undefined;
			shared ??= new CompletionWatcher(connection.analyst, intervalMs, signal);
			return shared;
		},
	};
}
