/** Build Object: one objects/add body per input item, validated against its template. */
import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
	NodeOperationError,
} from 'n8n-workflow';

import { isUuid } from '../../shared/misp/uuid';
import { runItems } from '../../shared/n8n/itemRunner';
import { buildObject, type AttributeInput, type ObjectSpec, type ReferenceInput } from '../objects/objectBuild';
import { problemReport } from '../objects/problems';
import type { BuilderAction } from './action';
import { CATEGORY_OPTIONS, FLAG_OPTIONS, OBJECT_DISTRIBUTIONS, POSTING_HINT, readFlag } from './fields';

const show = { operation: ['buildObject'] };

const properties: INodeProperties[] = [
	{
		displayName: 'Template Name or ID',
		name: 'template',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getTemplates' },
		default: '',
		required: true,
		description:
			'MISP object template to build. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: { show },
	},
	{
		displayName: 'Event ID',
		name: 'eventId',
		type: 'string',
		default: '={{ $json.event_id }}',
		description:
			'Numeric ID or UUID of the MISP event the object goes to; output as event_id for the URL /objects/add/{event_id}. Leave it empty when the object is wrapped into a new event; an expression that finds nothing is an error.',
		hint: POSTING_HINT,
		displayOptions: { show },
	},
	{
		displayName: 'Attributes',
		name: 'attributes',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Attribute',
		default: {},
		description: 'Values for the relations of the template',
		displayOptions: { show },
		options: [
			{
				displayName: 'Attribute',
				name: 'attribute',
				values: [
					{
						displayName: 'Relation Name or ID',
						name: 'relation',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'getRelations', loadOptionsDependsOn: ['template'] },
						default: '',
						description:
							'Relation of the template. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description:
							'The value. For a relation marked multiple, an expression may return a list: one attribute per entry. Empty values are skipped.',
					},
					{
						displayName: 'Value Options',
						name: 'overrides',
						type: 'collection',
						placeholder: 'Add Option',
						default: {},
						description: 'Per-attribute settings; unset ones follow the template and MISP defaults',
						options: [
							{
								displayName: 'Category',
								name: 'category',
								type: 'options',
								options: CATEGORY_OPTIONS,
								default: '',
								description:
									"Overrides the template's first category for the relation (else the type's default category)",
							},
							{
								displayName: 'Comment',
								name: 'comment',
								type: 'string',
								default: '',
							},
							{
								displayName: 'Disable Correlation',
								name: 'disableCorrelation',
								type: 'options',
								options: FLAG_OPTIONS,
								default: 'default',
								description: 'Whether MISP should not correlate the value; the default is the template flag',
							},
							{
								displayName: 'Distribution',
								name: 'distribution',
								type: 'options',
								options: OBJECT_DISTRIBUTIONS,
								default: '5',
							},
							{
								displayName: 'To IDS',
								name: 'toIds',
								type: 'options',
								options: FLAG_OPTIONS,
								default: 'default',
								description: "Whether the value is an IDS indicator; the default is the attribute type's",
							},
						],
					},
				],
			},
		],
	},
	{
		displayName: 'References',
		name: 'references',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Reference',
		default: {},
		description: 'Links from this object to other objects or attributes, by UUID',
		displayOptions: { show },
		options: [
			{
				displayName: 'Reference',
				name: 'reference',
				values: [
					{
						displayName: 'Comment',
						name: 'comment',
						type: 'string',
						default: '',
					},
					{
						displayName: 'Referenced UUID',
						name: 'referencedUuid',
						type: 'string',
						default: '',
						description: 'UUID of the object or attribute this object refers to',
					},
					{
						displayName: 'Relationship Type',
						name: 'relationshipType',
						type: 'string',
						default: 'related-to',
						placeholder: 'e.g. contains, drops, connected-to',
					},
				],
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Comment',
				name: 'comment',
				type: 'string',
				default: '',
				description: 'Comment of the object',
			},
			{
				displayName: 'Distribution',
				name: 'distribution',
				type: 'options',
				options: OBJECT_DISTRIBUTIONS,
				default: '5',
				description: 'Who may see the object',
			},
			{
				displayName: 'First Seen',
				name: 'firstSeen',
				type: 'string',
				default: '',
				placeholder: 'e.g. 2024-05-01T10:00:00Z',
				description: 'ISO 8601 date and time; MISP copies it to attributes without their own',
			},
			{
				displayName: 'Last Seen',
				name: 'lastSeen',
				type: 'string',
				default: '',
				placeholder: 'e.g. 2024-05-01T12:00:00Z',
				description: 'ISO 8601 date and time, not before First Seen',
			},
			{
				displayName: 'Object UUID',
				name: 'objectUuid',
				type: 'string',
				default: '',
				description: 'A UUID of your own for the object (wins over UUIDs)',
			},
			{
				displayName: 'UUIDs',
				name: 'uuidMode',
				type: 'options',
				options: [
					{
						name: 'Deterministic',
						value: 'deterministic',
						description:
							'UUID v5 from the event ID, template and values: building the same object again gives the same UUIDs',
					},
					{ name: 'Random', value: 'random', description: 'A new UUID v4 on every run' },
				],
				default: 'deterministic',
			},
		],
	},
];

function text(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (typeof value === 'number') return String(value);
	return undefined;
}

/** Reads the item's parameters into a build request. */
function readSpec(fn: IExecuteFunctions, itemIndex: number, eventId: string | undefined): ObjectSpec {
	const rows = fn.getNodeParameter('attributes.attribute', itemIndex, []) as IDataObject[];
	const references = fn.getNodeParameter('references.reference', itemIndex, []) as IDataObject[];
	const options = fn.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return {
		template: String(fn.getNodeParameter('template', itemIndex, '')),
		eventId,
		attributes: rows.map((row): AttributeInput => {
			const overrides = (row.overrides ?? {}) as IDataObject;
			return {
				relation: String(row.relation ?? ''),
				value: row.value,
				category: text(overrides.category),
				toIds: readFlag(overrides.toIds),
				disableCorrelation: readFlag(overrides.disableCorrelation),
				distribution: text(overrides.distribution),
				comment: text(overrides.comment),
			};
		}),
		references: references.map(
			(row): ReferenceInput => ({
				referencedUuid: String(row.referencedUuid ?? ''),
				relationshipType: String(row.relationshipType ?? ''),
				comment: text(row.comment),
			}),
		),
		uuidMode: options.uuidMode === 'random' ? 'random' : 'deterministic',
		uuid: text(options.objectUuid),
		distribution: text(options.distribution),
		comment: text(options.comment),
		firstSeen: text(options.firstSeen),
		lastSeen: text(options.lastSeen),
	};
}

function readEventId(fn: IExecuteFunctions, itemIndex: number): string | undefined {
	const raw = text(fn.getNodeParameter('eventId', itemIndex, ''))?.trim();
	if (raw === undefined || raw === '') {
		// An expression that finds nothing is a mistake (e.g. the field is named differently in this
		// item); only a field left empty on purpose means "no event yet".
		const expression = fn.getNode().parameters.eventId;
		if (typeof expression === 'string' && expression.startsWith('=')) {
			throw new NodeOperationError(
				fn.getNode(),
				`The Event ID expression ${expression.slice(1)} found no event ID in item ${itemIndex}`,
				{
					itemIndex,
					description:
						'Give the item an event_id (e.g. from the MISP node that created or found the event), change the expression, or clear the Event ID field when the object goes into a new event (Wrap as Event).',
				},
			);
		}
		return undefined;
	}
	if (!/^\d+$/u.test(raw) && !isUuid(raw)) {
		throw new NodeOperationError(fn.getNode(), `The event ID "${raw}" is neither a number nor a UUID`, {
			itemIndex,
			description: 'MISP accepts the numeric event id or the event UUID in /objects/add/{event_id}.',
		});
	}
	return raw;
}

export const buildObjectAction: BuilderAction = {
	properties,
	async run(fn) {
		return await runItems(fn, fn.getInputData(), 1, async (itemIndex) => {
			const eventId = readEventId(fn, itemIndex);
			const spec = readSpec(fn, itemIndex, eventId);
			const result = buildObject(spec);
			if (!result.ok) {
				const report = problemReport(`The ${spec.template || 'unnamed'} object`, result.problems);
				throw new NodeOperationError(fn.getNode(), report.message, {
					itemIndex,
					description: report.description,
				});
			}
			const json: IDataObject = { Object: result.object as unknown as IDataObject };
			if (eventId !== undefined) json.event_id = eventId;
			return [{ json }];
		});
	},
};
