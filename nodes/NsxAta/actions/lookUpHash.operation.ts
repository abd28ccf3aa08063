import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { buildAnalysisLink } from '../../shared/ata/links';
import type { Action } from './common/actionContext';
import { analysisSummary } from '../../shared/analysis/summary';
import { requireAnalyst } from './common/requireAnalyst';

const properties: INodeProperties[] = [
	{
		displayName: 'Hash',
		name: 'hash',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'd41d8cd98f00b204e9800998ecf8427e',
		description: 'MD5, SHA-1 or SHA-256 of the file; nothing is uploaded',
		displayOptions: { show: { operation: ['lookUpHash'] } },
	},
];

export const lookUpHash: Action = {
	properties,
	async run(context, itemIndex) {
		const analyst = requireAnalyst(context, 'Look Up Hash');
		const hash = String(context.fn.getNodeParameter('hash', itemIndex, '')).trim();
		const tasks = await analyst.queryFileHash(hash);
		const analyses: IDataObject[] = tasks.map((task) => ({
			...analysisSummary(
				task.taskUuid,
				buildAnalysisLink(context.connection.portal, task.taskUuid),
				task.score === undefined ? 'incomplete' : 'complete',
				task.score,
			),
			...(task.expires ? { expires: task.expires } : {}),
		}));
		return [{ json: { hash: hash.toLowerCase(), found: analyses.length > 0, latest: analyses[0] ?? null, analyses } }];
	},
};
