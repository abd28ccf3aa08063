import type { INodeProperties } from 'n8n-workflow';

import type { Action } from './common/actionContext';
import { retrievalProperties, retrieveAnalysis } from './common/analysisRetrieval';
import { mispAttributeCarry } from '../../shared/analysis/summary';

const analysisLink: INodeProperties = {
	displayName: 'Analysis Link',
	name: 'analysisLink',
	type: 'string',
	default: '={{ $json.value }}',
	required: true,
	description:
		'Analysis link or task uuid. The default reads the value of a MISP link attribute as the MISP node returns it; its event_id and uuid are carried to the output.',
};

export const query: Action = {
	properties: retrievalProperties('query', analysisLink, 'collections'),
	async run(context, itemIndex) {
		const input = context.fn.getInputData()[itemIndex]?.json ?? {};
		return await retrieveAnalysis(context, itemIndex, 'analysisLink', 'collections', mispAttributeCarry(input));
	},
};
