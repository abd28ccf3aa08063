/**
 * What the submits (File, URL, MISP Attribute) share: the submission options, Wait for Completion,
 * and the output (the analysis link as a MISP attribute, or the converted analysis once it has finished).
 */
import type { IDataObject, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { Submission, SubmissionOptions } from '../../../shared/ata/analystApi';
import type { WaitingItem } from '../../../shared/n8n/itemRunner';
import { buildAnalysisLink } from '../../../shared/ata/links';
import type { ActionContext } from './actionContext';
import { analysisSummary, analysisLinkItem, type AnalysisSummary, linkAttribute } from '../../../shared/analysis/summary';
import {
	finishedAnalysisItems,
	readWaitSettings,
	waitFields,
	waitForCompletion,
} from './completion';
import { OUTPUT_SHAPE_OPTIONS, readResultOptions, resultOptionFields } from '../../../shared/analysis/resultOptions';

export const DEFAULT_CONCURRENCY = 8;

export const concurrencyField: INodeProperties = {
	displayName: 'Concurrency',
	name: 'concurrency',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 64 },
	default: DEFAULT_CONCURRENCY,
	description: 'How many items are processed at the same time',
};

/** Parameters both submits show, for the given operation. */
export function submissionProperties(operation: string): INodeProperties[] {
	const show = { operation: [operation] };
	return [
		{
			displayName: 'Wait for Completion',
			name: 'waitForCompletion',
			type: 'boolean',
			default: false,
			description:
				'Whether to wait until the analysis has finished and output its MISP data; on timeout the analysis is output as incomplete',
			displayOptions: { show },
		},
		...waitFields({ ...show, waitForCompletion: [true] }),
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			displayOptions: { show },
			options: [
				{
					displayName: 'Analysis Environment',
					name: 'analysisEnvironment',
					type: 'string',
					default: '',
					placeholder: 'windows7:office2003',
					description: 'Environment to run the sample in; empty runs every suitable one',
				},
				{
					displayName: 'Analysis Timeout (Seconds)',
					name: 'analysisTimeout',
					type: 'number',
					typeOptions: { minValue: 0 },
					default: 0,
					description: 'How long the sample may run; 0 uses the service default',
				},
				{
					displayName: 'Archive Password',
					name: 'archivePassword',
					type: 'string',
					typeOptions: { password: true },
					default: '',
					description: 'Password of an encrypted archive or document',
				},
				{
					displayName: 'Bypass Cache',
					name: 'bypassCache',
					type: 'boolean',
					default: false,
					description:
						'Whether to force a new analysis even when ATA already has one (needs a privileged account; never retried after an unclear failure)',
				},
				concurrencyField,
				...resultOptionFields.map((field) => ({
					...field,
					displayOptions: { show: { '/waitForCompletion': [true] } },
				})),
				{
					displayName: 'Output',
					name: 'output',
					type: 'options',
					options: OUTPUT_SHAPE_OPTIONS,
					default: 'collections',
					description: 'Shape of the output once the analysis has finished',
					displayOptions: { show: { '/waitForCompletion': [true] } },
				},
				{
					displayName: 'Push to Portal Account',
					name: 'pushToPortalAccount',
					type: 'string',
					default: '',
					placeholder: 'analyst@example.com',
					description:
						'Portal account (user name) the analysis is pushed to, so it shows in that account; empty sends nothing',
				},
			],
		},
	];
}

export function readSubmissionOptions(options: IDataObject): SubmissionOptions {
	const timeout = Number(options.analysisTimeout ?? 0);
	return {
		bypassCache: options.bypassCache === true,
		analysisTimeout: Number.isFinite(timeout) && timeout > 0 ? timeout : undefined,
		analysisEnvironment: String(options.analysisEnvironment ?? '') || undefined,
		archivePassword: String(options.archivePassword ?? '') || undefined,
		pushToPortalAccount: pushToPortalAccount(options.pushToPortalAccount),
	};
}

/**
 * The portal account name, trimmed; empty means not sent. Workflows saved when the option was a
 * yes/no switch hold a boolean: the service would read it as an account called "true", so it is
 * dropped rather than sent.
 */
function pushToPortalAccount(value: unknown): string | undefined {
	return typeof value === 'string' ? value.trim() || undefined : undefined;
}

/**
 * Output meant for an existing MISP event (Submit from MISP Attribute): fields every item carries,
 * `event_id` among them, and the UUID of the analysis's link attribute there.
 */
export interface EventOutput {
	carry: IDataObject;
	linkUuid: (taskUuid: string) => string;
}

/** Runs a submission and builds the item's output, waiting first when the user asked for it. */
export async function submissionItems(
	context: ActionContext,
	itemIndex: number,
	submit: () => Promise<Submission>,
	submitted: IDataObject,
	comment: string,
	event?: EventOutput,
): Promise<INodeExecutionData[] | WaitingItem> {
	const wait = context.fn.getNodeParameter('waitForCompletion', itemIndex, false) === true;
	const settings = wait ? readWaitSettings(context, itemIndex) : undefined;
	// The cursor must predate the submission, or a fast analysis could finish unseen.
	if (settings) await context.watcher(settings.intervalMs)?.start();

	const submission = await submit();
	const link = buildAnalysisLink(context.connection.portal, submission.taskUuid);
	const status = submission.complete ? 'complete' : 'incomplete';
	const summary = analysisSummary(submission.taskUuid, link, status, submission.score);
	const carry: IDataObject = { ...event?.carry, submitted };
	// For an existing event every item carries the link, so objects and link are stored in one go.
	const output = (items: INodeExecutionData[]) => (event ? items.map((item) => withEventLink(item, comment, event)) : items);
	if (!settings) return output([analysisLinkItem(summary, carry, comment)]);

	const options = readResultOptions(
		context.fn.getNodeParameter('options', itemIndex, {}) as IDataObject,
		'collections',
	);
	const finish = async () => {
		const finished = submission.complete || (await waitForCompletion(context, submission.taskUuid, settings));
		if (!finished) return output([analysisLinkItem(summary, carry, comment)]);
		return output(await finishedAnalysisItems(context, summary, options, carry, comment));
	};
	// Submitted: the rest is waiting, which must not keep other items from being submitted.
	return { afterWaiting: finish() };
}

/** The item with the link attribute for its state (every item starts with the analysis summary). */
function withEventLink(item: INodeExecutionData, comment: string, event: EventOutput): INodeExecutionData {
	const summary = item.json as AnalysisSummary;
	const attribute = { ...linkAttribute(summary, comment), uuid: event.linkUuid(summary.taskUuid) };
	return { ...item, json: { ...item.json, attribute } };
}
