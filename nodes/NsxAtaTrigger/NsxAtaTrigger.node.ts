import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { limitsProperty, readLimits } from '../shared/ata/limits';
import { buildAnalysisLink } from '../shared/ata/links';
import { ANALYST_CREDENTIAL, type AtaConnection, connect } from '../shared/ata/n8nClients';
import {
	convertedItems,
	OUTPUT_SHAPE_OPTIONS,
	readResultOptions,
	resultOptionFields,
} from '../shared/analysis/resultOptions';
import { analysisSummary } from '../shared/analysis/summary';
import { toNodeError } from '../shared/n8n/nodeErrors';
import { type CompletedTask, hoursBefore, newlyCompleted, readMemory, writeMemory } from './completedAnalyses';

/** n8n's own default poll budget (5 minutes), for engines that do not say. */
const DEFAULT_POLL_BUDGET_MS = 300_000;

export class NsxAtaTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'NSX ATA Trigger',
		name: 'nsxAtaTrigger',
		icon: { light: 'file:nsxAtaTrigger.svg', dark: 'file:nsxAtaTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: 'On analysis completed',
		// n8n shows the trigger's description for the whole "NSX ATA" entry in the node panel.
		description:
			'Submit files and URLs to the NSX ATA (Lastline) sandbox, turn analyses into MISP data, and start workflows when analyses finish',
		defaults: { name: 'NSX ATA Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: ANALYST_CREDENTIAL, required: true }],
		properties: [
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				options: [
					{
						name: 'Analysis Completed',
						value: 'analysisCompleted',
						action: 'On analysis completed',
						description: 'Each finished analysis once, in the order ATA reports them',
					},
				],
				default: 'analysisCompleted',
			},
			{
				displayName: 'Minimum Score',
				name: 'minScore',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 100 },
				default: 0,
				description: 'Only analyses scoring at least this (0–100); 0 passes every analysis',
			},
			{
				displayName: 'Include MISP Results',
				name: 'includeMispResults',
				type: 'boolean',
				default: false,
				description: 'Whether to fetch each analysis and add its MISP objects and tags to the item',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				displayOptions: { show: { includeMispResults: [true] } },
				options: [
					...resultOptionFields,
					{
						displayName: 'Output',
						name: 'output',
						type: 'options',
						options: OUTPUT_SHAPE_OPTIONS,
						default: 'collections',
						description: 'Shape of the MISP results',
					},
				],
			},
			limitsProperty,
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		// n8n abandons a poll after its budget: stop paging at half of it, and cancel every request at
		// the budget itself, so an endless cursor or a stuck server cannot hold the poll open.
		const budgetMs = this.getPollBudgetMs?.() ?? DEFAULT_POLL_BUDGET_MS;
		const signal = AbortSignal.timeout(budgetMs);
		const pagingDeadline = Date.now() + budgetMs / 2;
		const limits = readLimits(this.getNodeParameter('limits', {}) as IDataObject);
		const connection = await connect(this, 'analystApi', { signal, limits });
		const analyst = connection.analyst!;
		const minScore = Number(this.getNodeParameter('minScore', 0));
		const withResults = this.getNodeParameter('includeMispResults', false) === true;
		const staticData = this.getWorkflowStaticData('node');

		let tasks: CompletedTask[];
		let remember: (() => void) | undefined;
		if (this.getMode() === 'manual') {
			// A test run shows the latest analysis of the last day and leaves the cursor alone.
			const now = await analyst.serverTime();
			const page = await analyst.getCompleted(hoursBefore(now, 24));
			tasks = page.tasks.slice(-1);
		} else {
			const polled = await newlyCompleted(analyst, readMemory(staticData), pagingDeadline);
			tasks = polled.tasks;
			remember = () => writeMemory(staticData, polled.memory);
		}
		const wanted = tasks.filter((task) => minScore <= 0 || (task.score ?? 0) >= minScore);
		const items: INodeExecutionData[] = [];
		for (const task of wanted) {
			items.push(...(await itemsFor(this, connection, task, withResults)));
		}
		// Only now, with every item built, does the cursor move: a failure above keeps it in place.
		remember?.();
		if (items.length === 0) return null;
		return [items];
	}
}

async function itemsFor(
	context: IPollFunctions,
	connection: AtaConnection,
	task: CompletedTask,
	withResults: boolean,
): Promise<INodeExecutionData[]> {
	const link = buildAnalysisLink(connection.portal, task.taskUuid);
	const summary = analysisSummary(task.taskUuid, link, 'complete', task.score);
	if (!withResults) return [{ json: { ...summary } }];
	try {
		const options = readResultOptions(context.getNodeParameter('options', {}) as IDataObject, 'collections');
		const result = await connection.results.getResult(task.taskUuid);
		return await convertedItems(connection, result, summary, options, {});
	} catch (error) {
		throw toNodeError(context.getNode(), error, 0);
	}
}
