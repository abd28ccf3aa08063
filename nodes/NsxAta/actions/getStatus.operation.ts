import type { INodeProperties } from 'n8n-workflow';

import { buildAnalysisLink, taskUuidFromLink } from '../../shared/ata/links';
import type { Action } from './common/actionContext';
import { analysisSummary } from '../../shared/analysis/summary';

const properties: INodeProperties[] = [
	{
		displayName: 'Analysis Link',
		name: 'statusLink',
		type: 'string',
		default: '',
		required: true,
		description: 'Analysis link or task uuid whose progress to read',
		displayOptions: { show: { operation: ['getStatus'] } },
	},
];

export const getStatus: Action = {
	properties,
	async run(context, itemIndex) {
		const { connection } = context;
		const raw = String(context.fn.getNodeParameter('statusLink', itemIndex, ''));
		const taskUuid = taskUuidFromLink(raw, connection.portal);
		const progress = await connection.results.getProgress(taskUuid);
		const summary = analysisSummary(
			taskUuid,
			buildAnalysisLink(connection.portal, taskUuid),
			progress.complete ? 'complete' : 'incomplete',
		);
		return [{ json: { ...summary, progress: progress.progress ?? (progress.complete ? 100 : 0) } }];
	},
};
