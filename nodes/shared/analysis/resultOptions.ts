/**
 * How finished analyses are turned into output items: the output shape, the converter options,
 * and the raw report. Shared by Query, Import and the submits' Wait for Completion.
 */
import type { IDataObject, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import {
	type ConvertOptions,
	type Limits,
	PER_TYPE_LIMITS,
	toMispEvent,
	toMispResults,
	toModuleResults,
} from '../misp/converter';
import type { AtaConnection } from '../ata/n8nClients';
import { countDepthMarkers, MAX_JSON_DEPTH } from '../ata/serverJson';
import { analysisSummary, type AnalysisSummary } from './summary';

export type OutputShape = 'objectItems' | 'collections' | 'event' | 'moduleResults';

export interface ResultOptions {
	output: OutputShape;
	includeRawReport: boolean;
	includeAvTags: boolean;
	includeRegistryReads: boolean;
	maliciousScore: number;
	maxObjectsPerType: number;
	eventInfo: string;
}

export const OUTPUT_SHAPE_OPTIONS = [
	{
		name: 'MISP Collections (One Item)',
		value: 'collections',
		description: 'One item with Object, Attribute and Tag lists, to add to an existing event',
	},
	{
		name: 'MISP Event',
		value: 'event',
		description: 'One item holding an events/add body that creates the whole event in one call',
	},
	{
		name: 'MISP Module Results',
		value: 'moduleResults',
		description: 'The misp-modules misp_standard answer, for existing MISP tooling',
	},
	{
		name: 'One Item per MISP Object',
		value: 'objectItems',
		description: 'Each item holds one objects/add body plus event_id',
	},
];

/** Converter options of the Options collection; `names` are the collection's field names. */
export const resultOptionFields: INodeProperties[] = [
	{
		displayName: 'Event Info',
		name: 'eventInfo',
		type: 'string',
		default: '',
		description: 'Info (title) of an event built from the analysis; empty gives "NSX ATA analysis of …"',
	},
	{
		displayName: 'Include AV Labels',
		name: 'includeAvTags',
		type: 'boolean',
		default: true,
		description:
			'Whether to add av-fam:, av-cls: and nsx: tags from the analysis tags (Analyst API credential only)',
	},
	{
		displayName: 'Include Raw Report',
		name: 'includeRawReport',
		type: 'boolean',
		default: false,
		description: 'Whether to add the full ATA result document to the output as "report"',
	},
	{
		displayName: 'Include Registry Reads',
		name: 'includeRegistryReads',
		type: 'boolean',
		default: false,
		description: 'Whether to map registry reads too (thousands per process; noisy)',
	},
	{
		displayName: 'Malicious Score Threshold',
		name: 'maliciousScore',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 100 },
		default: 0,
		description:
			'Add an ata:verdict tag: malicious at or above this score, suspicious at or above 30. 0 adds no verdict tag.',
	},
	{
		displayName: 'Max Objects per Type',
		name: 'maxObjectsPerType',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description:
			'Cap per MISP object type; what is left out is reported in "warnings". 0 keeps the generous defaults (500–2000 per type).',
	},
];

export function readResultOptions(options: IDataObject, defaultShape: OutputShape): ResultOptions {
	return {
		output: (options.output as OutputShape | undefined) ?? defaultShape,
		includeRawReport: options.includeRawReport === true,
		includeAvTags: options.includeAvTags !== false,
		includeRegistryReads: options.includeRegistryReads === true,
		maliciousScore: Number(options.maliciousScore ?? 0),
		maxObjectsPerType: Number(options.maxObjectsPerType ?? 0),
		eventInfo: String(options.eventInfo ?? ''),
	};
}

export function converterOptions(
	options: ResultOptions,
	summary: AnalysisSummary,
	hosted: boolean,
	analysisTags: unknown,
	targetEvent?: unknown,
): ConvertOptions {
	const cap = options.maxObjectsPerType;
	return {
		// Objects added to an existing event get UUIDs of their own per event (see uuidScope).
		uuidScope: targetEvent === undefined || targetEvent === null ? undefined : `event:${String(targetEvent)}`,
		analysisLink: summary.analysisLink,
		hosted,
		analysisTags,
		includeRegistryReads: options.includeRegistryReads,
		verdict:
			options.maliciousScore > 0
				? { maliciousAt: options.maliciousScore, suspiciousAt: Math.min(30, options.maliciousScore) }
				: undefined,
		limits: Number.isFinite(cap) && cap > 0 ? perTypeLimits(cap) : undefined,
	};
}

function perTypeLimits(cap: number): Partial<Limits> {
	const limits: Partial<Limits> = {};
	for (const name of PER_TYPE_LIMITS) limits[name] = Math.floor(cap);
	return limits;
}

/** Output items for a finished analysis, in the chosen shape; `carry` is added to every item. */
export function finishedItems(
	result: Record<string, unknown>,
	summary: AnalysisSummary,
	options: ResultOptions,
	convert: ConvertOptions,
	carry: IDataObject,
): INodeExecutionData[] {
	const head: IDataObject = { ...carry, ...summary };
	const raw: IDataObject = options.includeRawReport ? { report: result as IDataObject } : {};
	// The client already cut hostile nesting (serverJson.ts); say so next to the raw report.
	const cut = options.includeRawReport ? countDepthMarkers(result) : 0;
	const depthWarning = cut > 0 ? [`report: ${cut} part(s) nested deeper than ${MAX_JSON_DEPTH} levels were left out`] : [];
	switch (options.output) {
		case 'event': {
			const { Event, warnings } = toMispEvent(result, { ...convert, info: options.eventInfo || undefined });
			return [{ json: { ...head, Event: Event as unknown as IDataObject, warnings: [...warnings, ...depthWarning], ...raw } }];
		}
		case 'moduleResults': {
			const { results } = toModuleResults(result, convert);
			const notes = depthWarning.length > 0 ? { warnings: depthWarning } : {};
			return [{ json: { ...head, results: results as unknown as IDataObject, ...notes, ...raw } }];
		}
		case 'objectItems': {
			const { Object: objects, Tag, warnings } = toMispResults(result, { ...convert, linkAttribute: false });
			// The event-level tags and warnings travel once, on the analysis's first object.
			return objects.map((object, index) => ({
				json: {
					...head,
					Object: object as unknown as IDataObject,
					objectIndex: index,
					objectCount: objects.length,
					...(index === 0 ? { Tag: Tag as unknown as IDataObject[], warnings: [...warnings, ...depthWarning], ...raw } : {}),
				},
			}));
		}
		default: {
			const { Object: objects, Attribute, Tag, warnings } = toMispResults(result, convert);
			return [
				{
					json: {
						...head,
						Object: objects as unknown as IDataObject[],
						Attribute: Attribute as unknown as IDataObject[],
						Tag: Tag as unknown as IDataObject[],
						warnings: [...warnings, ...depthWarning],
						...raw,
					},
				},
			];
		}
	}
}

/**
 * Output items for a finished analysis whose result document is at hand, with the AV labels
 * fetched when asked for. Shared by the NSX ATA node and the trigger.
 */
export async function convertedItems(
	connection: AtaConnection,
	result: Record<string, unknown>,
	summary: AnalysisSummary,
	options: ResultOptions,
	carry: IDataObject,
): Promise<INodeExecutionData[]> {
	const analysisTags =
		options.includeAvTags && connection.analyst
			? await connection.analyst.getAnalysisTags(summary.taskUuid)
			: undefined;
	const score = typeof result.score === 'number' ? result.score : summary.score;
	const complete = analysisSummary(summary.taskUuid, summary.analysisLink, 'complete', score);
	const convert = converterOptions(options, complete, connection.hosted, analysisTags, carry.event_id);
	return finishedItems(result, complete, options, convert, carry);
}
