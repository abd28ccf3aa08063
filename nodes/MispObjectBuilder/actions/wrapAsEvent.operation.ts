/**
 * Wrap as Event: puts the objects of all input items (or of each item) into one events/add body,
 * which creates the event with its objects, references and tags in a single MISP call.
 */
import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	NodeOperationError,
} from 'n8n-workflow';

import { errorJson, toNodeError } from '../../shared/n8n/nodeErrors';
import { runItems } from '../../shared/n8n/itemRunner';
import { eventSettingProblems, type EventParts, type EventSettings, wrapAsEvent } from '../objects/eventWrap';
import { validateMispObject } from '../objects/objectValidation';
import { problemReport } from '../objects/problems';
import { type BuilderAction, objectsOf } from './action';
import { SHARING_LEVELS } from './fields';

const show = { operation: ['wrapAsEvent'] };

const properties: INodeProperties[] = [
	{
		displayName: 'Wrap',
		name: 'scope',
		type: 'options',
		options: [
			{
				name: 'All Items Into One Event',
				value: 'allItems',
				description: 'One events/add body holding the objects of every input item',
			},
			{
				name: 'Each Item Into Its Own Event',
				value: 'eachItem',
				description: 'One events/add body per input item',
			},
		],
		default: 'allItems',
		displayOptions: { show },
	},
	{
		displayName: 'Event Info',
		name: 'info',
		type: 'string',
		default: '',
		required: true,
		description: 'Title of the event (MISP requires it). With All Items, the first item’s value is used.',
		hint: 'Post the output to /events/add with the HTTP Request node and the MISP credential, body {{ { Event: $json.Event } }}, headers Accept and Content-Type: application/json',
		displayOptions: { show },
	},
	{
		displayName: 'Distribution',
		name: 'distribution',
		type: 'options',
		options: SHARING_LEVELS,
		default: '0',
		displayOptions: { show },
	},
	{
		displayName: 'Threat Level',
		name: 'threatLevelId',
		type: 'options',
		options: [
			{ name: 'High', value: '1' },
			{ name: 'Medium', value: '2' },
			{ name: 'Low', value: '3' },
			{ name: 'Undefined', value: '4' },
		],
		default: '4',
		displayOptions: { show },
	},
	{
		displayName: 'Analysis',
		name: 'analysis',
		type: 'options',
		options: [
			{ name: 'Initial', value: '0' },
			{ name: 'Ongoing', value: '1' },
			{ name: 'Completed', value: '2' },
		],
		default: '0',
		displayOptions: { show },
	},
	{
		displayName: 'Options',
		name: 'eventOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Date',
				name: 'date',
				type: 'string',
				default: '',
				placeholder: 'YYYY-MM-DD',
				description: 'Date of the event; MISP uses today when empty',
			},
			{
				displayName: 'Include Input Attributes and Tags',
				name: 'includeInputCollections',
				type: 'boolean',
				default: true,
				description:
					'Whether to add the Attribute and Tag lists the items carry (as the NSX ATA Query outputs them) to the event',
			},
			{
				displayName: 'Tags',
				name: 'tags',
				type: 'string',
				typeOptions: { multipleValues: true },
				default: [],
				placeholder: 'e.g. tlp:amber',
				description: 'Event tags, e.g. workflow:state="complete"',
			},
			{
				displayName: 'Validate Objects',
				name: 'validate',
				type: 'boolean',
				default: true,
				description:
					'Whether to check every object against its template first; MISP silently drops invalid objects in events/add',
			},
		],
	},
];

function listOf(value: unknown): IDataObject[] {
	if (!Array.isArray(value)) return [];
	return value.filter((entry): entry is IDataObject => typeof entry === 'object' && entry !== null);
}

function readSettings(fn: IExecuteFunctions, itemIndex: number): EventSettings {
	const options = fn.getNodeParameter('eventOptions', itemIndex, {}) as IDataObject;
	const tags = Array.isArray(options.tags) ? options.tags : options.tags ? [options.tags] : [];
	const date = typeof options.date === 'string' && options.date.trim() !== '' ? options.date.trim() : undefined;
	const settings: EventSettings = {
		info: String(fn.getNodeParameter('info', itemIndex, '') ?? ''),
		distribution: String(fn.getNodeParameter('distribution', itemIndex, '0')),
		threatLevelId: String(fn.getNodeParameter('threatLevelId', itemIndex, '4')),
		analysis: String(fn.getNodeParameter('analysis', itemIndex, '0')),
		date,
		tags: tags.map(String).filter((tag) => tag.trim() !== ''),
	};
	const problems = eventSettingProblems(settings);
	if (problems.length > 0) {
		throw new NodeOperationError(fn.getNode(), problems[0], { itemIndex, description: problems.join('\n') });
	}
	return settings;
}

/** The objects (checked when asked), attributes and tags one item contributes. */
function partsOf(fn: IExecuteFunctions, itemIndex: number): EventParts {
	const json = fn.getInputData()[itemIndex].json;
	const options = fn.getNodeParameter('eventOptions', itemIndex, {}) as IDataObject;
	const { objects } = objectsOf(json.Object);
	if (options.validate !== false) {
		objects.forEach((object, index) => {
			const problems = validateMispObject(object);
			if (problems.length === 0) return;
			const name = (object as IDataObject | null)?.name;
			const report = problemReport(`Object ${index} (${String(name ?? 'unnamed')}) of item ${itemIndex}`, problems);
			throw new NodeOperationError(fn.getNode(), report.message, { itemIndex, description: report.description });
		});
	}
	const collections = options.includeInputCollections !== false;
	return {
		objects: listOf(objects),
		attributes: collections ? listOf(json.Attribute) : [],
		tags: collections ? listOf(json.Tag) : [],
	};
}

async function wrapAll(fn: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = fn.getInputData();
	const pairedItem = items.map((_, item) => ({ item }));
	let failedItem = 0;
	try {
		const settings = readSettings(fn, 0);
		const parts: EventParts = { objects: [], attributes: [], tags: [] };
		items.forEach((_, itemIndex) => {
			failedItem = itemIndex;
			const item = partsOf(fn, itemIndex);
			parts.objects.push(...item.objects);
			parts.attributes.push(...item.attributes);
			parts.tags.push(...item.tags);
		});
		return [{ json: wrapAsEvent(parts, settings), pairedItem }];
	} catch (error) {
		const nodeError = toNodeError(fn.getNode(), error, failedItem);
		if (!fn.continueOnFail()) throw nodeError;
		// One error item for the whole batch, shaped as runItems shapes them (n8n adds the input back
		// on the error output).
		return [{ json: { error: nodeError.message, details: errorJson(nodeError) }, pairedItem }];
	}
}

export const wrapAsEventAction: BuilderAction = {
	properties,
	async run(fn) {
		if (fn.getNodeParameter('scope', 0, 'allItems') === 'allItems') return await wrapAll(fn);
		return await runItems(fn, fn.getInputData(), 1, async (itemIndex) => [
			{ json: wrapAsEvent(partsOf(fn, itemIndex), readSettings(fn, itemIndex)) },
		]);
	},
};
