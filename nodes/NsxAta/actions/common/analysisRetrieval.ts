/**
 * What Query and Import share: read the analysis link (or task uuid), check it against the
 * configured portal before any request, and produce the finished analysis or its pending state.
 */
import type { IDataObject, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { AtaError } from '../../../shared/ata/errors';
import { buildAnalysisLink, taskUuidFromLink } from '../../../shared/ata/links';
import type { WaitingItem } from '../../../shared/n8n/itemRunner';
import type { ActionContext } from './actionContext';
import { analysisLinkItem, analysisSummary } from '../../../shared/analysis/summary';
import {
	finishedAnalysisItems,
	readWaitSettings,
	waitFields,
	waitForCompletion,
} from './completion';
import { OUTPUT_SHAPE_OPTIONS, type OutputShape, readResultOptions, resultOptionFields } from '../../../shared/analysis/resultOptions';
import { concurrencyField } from './submission';

export type IfNotFinished = 'outputIncomplete' | 'fail' | 'wait';

export function retrievalProperties(
	operation: string,
	link: INodeProperties,
	defaultShape: OutputShape,
): INodeProperties[] {
	const show = { operation: [operation] };
	return [
		{ ...link, displayOptions: { show } },
		{
			displayName: 'If Not Finished',
			name: 'ifNotFinished',
			type: 'options',
			options: [
				{
					name: 'Output as Incomplete',
					value: 'outputIncomplete',
					description: 'Output the link tagged workflow:state="incomplete" so a later run picks it up',
				},
				{ name: 'Fail', value: 'fail', description: 'Fail the item' },
				{ name: 'Wait', value: 'wait', description: 'Poll until it finishes or the maximum wait passes' },
			],
			default: 'outputIncomplete',
			description: 'What to do when the analysis is still running',
			displayOptions: { show },
		},
		...waitFields({ ...show, ifNotFinished: ['wait'] }),
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			displayOptions: { show },
			options: [
				concurrencyField,
				...resultOptionFields,
				{
					displayName: 'Output',
					name: 'output',
					type: 'options',
					options: OUTPUT_SHAPE_OPTIONS,
					default: defaultShape,
					description: 'Shape of the output for a finished analysis',
				},
			],
		},
	];
}

/** Items for the analysis the item's link names, in the operation's default shape. */
export async function retrieveAnalysis(
	context: ActionContext,
	itemIndex: number,
	linkParameter: string,
	defaultShape: OutputShape,
	carry: IDataObject,
): Promise<INodeExecutionData[] | WaitingItem> {
	const { fn, connection } = context;
	const rawLink = fn.getNodeParameter(linkParameter, itemIndex, '');
	if (typeof rawLink !== 'string' || rawLink.trim() === '') {
		throw new AtaError('The analysis link is empty', {
			kind: 'config',
			retry: 'never',
			hint: 'Give an analysis link or a task uuid; for a MISP attribute use {{ $json.value }}.',
		});
	}
	// Refused links fail here, before any request: the link's host is checked, never contacted.
	const taskUuid = taskUuidFromLink(rawLink, connection.portal);
	const link = buildAnalysisLink(connection.portal, taskUuid);
	const comment = `NSX ATA analysis ${taskUuid}`;
	const ifNotFinished = fn.getNodeParameter('ifNotFinished', itemIndex, 'outputIncomplete') as IfNotFinished;
	const options = readResultOptions(fn.getNodeParameter('options', itemIndex, {}) as IDataObject, defaultShape);
	const wait = ifNotFinished === 'wait' ? readWaitSettings(context, itemIndex) : undefined;
	if (wait) await context.watcher(wait.intervalMs)?.start();

	const itemsFor = async (finished: boolean): Promise<INodeExecutionData[]> => {
		const summary = analysisSummary(taskUuid, link, finished ? 'complete' : 'incomplete');
		if (finished) return await finishedAnalysisItems(context, summary, options, carry, comment);
		return [analysisLinkItem(summary, carry, comment)];
	};
	const progress = await connection.results.getProgress(taskUuid);
	if (progress.complete) return await itemsFor(true);
	// Only waiting remains: give the concurrency slot back to the other items.
	if (wait) return { afterWaiting: waitForCompletion(context, taskUuid, wait).then(itemsFor) };

	if (ifNotFinished === 'fail') {
		throw new AtaError(`The analysis ${taskUuid} has not finished yet`, {
			kind: 'api',
			code: 106,
			retry: 'never',
			hint: 'Query it again later, or set "If Not Finished" to output it as incomplete.',
		});
	}
	const [pending] = await itemsFor(false);
	if (progress.progress !== undefined) pending.json.progress = progress.progress;
	return [pending];
}
