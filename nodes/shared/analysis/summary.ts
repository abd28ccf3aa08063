/**
 * The fields every NSX ATA output item starts with, and the MISP `link` attribute that stands for
 * an analysis in MISP (category External analysis, tagged `workflow:state="complete"|"incomplete"`).
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { workflowStateTag } from '../misp/converter';

export type AnalysisStatus = 'complete' | 'incomplete';

export interface AnalysisSummary extends IDataObject {
	taskUuid: string;
	analysisLink: string;
	status: AnalysisStatus;
	/** The canonical workflow tag for `status`. */
	tag: string;
	score?: number;
}

export function analysisSummary(
	taskUuid: string,
	analysisLink: string,
	status: AnalysisStatus,
	score?: number,
): AnalysisSummary {
	const summary: AnalysisSummary = { taskUuid, analysisLink, status, tag: workflowStateTag(status) };
	if (score !== undefined) summary.score = score;
	return summary;
}

/** The body for `POST /attributes/add/{event_id}` that records the analysis in MISP. */
export function linkAttribute(summary: AnalysisSummary, comment: string): IDataObject {
	return {
		type: 'link',
		category: 'External analysis',
		value: summary.analysisLink,
		to_ids: false,
		comment,
		Tag: [{ name: summary.tag }],
	};
}

/** The analysis as its MISP link attribute: complete, or incomplete so a later sweep picks it up. */
export function analysisLinkItem(summary: AnalysisSummary, carry: IDataObject, comment: string): INodeExecutionData {
	return { json: { ...carry, ...summary, attribute: linkAttribute(summary, comment) } };
}

/**
 * What to carry forward from an input item that is a MISP attribute as the stock MISP node
 * returns it, so downstream nodes post to the right event and re-tag the right attribute.
 */
export function mispAttributeCarry(input: IDataObject): IDataObject {
	const carry: IDataObject = {};
	if (input.event_id !== undefined) carry.event_id = input.event_id;
	if (input.uuid !== undefined || input.id !== undefined) {
		carry.sourceAttribute = {
			...(input.id !== undefined ? { id: input.id } : {}),
			...(input.uuid !== undefined ? { uuid: input.uuid } : {}),
			...(input.type !== undefined ? { type: input.type } : {}),
			...(input.value !== undefined ? { value: input.value } : {}),
		};
	}
	return carry;
}
