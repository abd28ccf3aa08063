import type { INodeProperties } from 'n8n-workflow';

import type { Action } from './common/actionContext';
import { retrievalProperties, retrieveAnalysis } from './common/analysisRetrieval';

const analysisLink: INodeProperties = {
	displayName: 'Analysis Link',
	name: 'importLink',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'https://user.lastline.com/portal#/analyst/task/<task uuid>/overview',
	description: 'The analysis link (or task uuid) to build a new MISP event from',
};

export const importAnalysis: Action = {
	properties: retrievalProperties('import', analysisLink, 'event'),
	async run(context, itemIndex) {
		return await retrieveAnalysis(context, itemIndex, 'importLink', 'event', {});
	},
};
