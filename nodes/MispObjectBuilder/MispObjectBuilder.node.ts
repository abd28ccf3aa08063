import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	NodeConnectionTypes,
} from 'n8n-workflow';

import { ACTIONS, OPERATION_TITLES, type OperationName, operationProperties } from './actions/operations';
import { getRelations, getTemplates } from './methods/loadOptions';

export class MispObjectBuilder implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'MISP Object Builder',
		name: 'mispObjectBuilder',
		icon: { light: 'file:mispObjectBuilder.svg', dark: 'file:mispObjectBuilder.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: `={{ ${JSON.stringify(OPERATION_TITLES)}[$parameter["operation"]] }}`,
		description:
			'Build and validate MISP objects from templates, and wrap them as events, ready to post with the HTTP Request node and the MISP credential',
		defaults: { name: 'MISP Object Builder' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: operationProperties,
	};

	methods = { loadOptions: { getTemplates, getRelations } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as OperationName;
		return [await ACTIONS[operation].run(this)];
	}
}
