/**
 * Waiting for an analysis and turning a finished one into output items. Shared by the submits'
 * Wait for Completion, Query and Import.
 */
import type { IDataObject, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { waitByPolling } from '../../../shared/ata/completionWatcher';
import { AtaError } from '../../../shared/ata/errors';
import { settle } from '../../../shared/ata/text';
import type { ActionContext } from './actionContext';
import { analysisSummary, type AnalysisSummary, analysisLinkItem } from '../../../shared/analysis/summary';
import { convertedItems, type ResultOptions } from '../../../shared/analysis/resultOptions';

export interface WaitSettings {
	intervalMs: number;
	maxWaitMs: number;
}

/** Poll interval and maximum wait, shown when `show` holds (e.g. Wait for Completion is on). */
export function waitFields(show: NonNullable<INodeProperties['displayOptions']>['show']): INodeProperties[] {
	return [
		{
			displayName: 'Poll Interval (Seconds)',
			name: 'pollIntervalSeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 30,
			description: 'How often to ask ATA whether the analysis has finished',
			displayOptions: { show },
		},
		{
			displayName: 'Max Wait (Seconds)',
			name: 'maxWaitSeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 600,
			description:
				'Give up waiting after this long and output the analysis as incomplete, so a later run can pick it up',
			displayOptions: { show },
		},
	];
}

export function readWaitSettings(context: ActionContext, itemIndex: number): WaitSettings {
	const interval = Number(context.fn.getNodeParameter('pollIntervalSeconds', itemIndex, 30));
	const maxWait = Number(context.fn.getNodeParameter('maxWaitSeconds', itemIndex, 600));
	return {
		intervalMs: Math.max(1, Number.isFinite(interval) ? interval : 30) * 1000,
		maxWaitMs: Math.max(0, Number.isFinite(maxWait) ? maxWait : 600) * 1000,
	};
}

/** Whether the analysis finished within the wait; batched over the execution where the API allows. */
export async function waitForCompletion(
	context: ActionContext,
	taskUuid: string,
	wait: WaitSettings,
): Promise<boolean> {
	const deadline = Date.now() + wait.maxWaitMs;
	const watcher = context.watcher(wait.intervalMs);
	if (watcher) return await watcher.waitFor(taskUuid, deadline);
	return await waitByPolling(context.connection.results, taskUuid, deadline, wait.intervalMs, context.signal);
}

/**
 * Fetches a finished analysis and converts it into the chosen output shape. If the service says the
 * result is not ready after all, the analysis is reported as incomplete instead.
 */
export async function finishedAnalysisItems(
	context: ActionContext,
	summary: AnalysisSummary,
	options: ResultOptions,
	carry: IDataObject,
	comment: string,
): Promise<INodeExecutionData[]> {
	const { connection } = context;
	const fetched = await settle(connection.results.getResult(summary.taskUuid));
	if (!fetched.ok) {
		if (!(fetched.error instanceof AtaError && fetched.error.isNotReady)) throw fetched.error;
		// Progress said finished but the result is not there yet: report it as still running.
		const pending = analysisSummary(summary.taskUuid, summary.analysisLink, 'incomplete');
		return [analysisLinkItem(pending, carry, comment)];
	}
	return await convertedItems(connection, fetched.value, summary, options, carry);
}
