import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	NodeConnectionTypes,
	NodeOperationError,
} from 'n8n-workflow';

import {
	type AtaAuthentication,
	ANALYST_CREDENTIAL,
	connect,
	PORTAL_CREDENTIAL,
} from '../shared/ata/n8nClients';
import { readLimits } from '../shared/ata/limits';
import { runItems } from '../shared/n8n/itemRunner';
import { createActionContext } from './actions/common/actionContext';
import { DEFAULT_CONCURRENCY } from './actions/common/submission';
import { ACTIONS, OPERATION_TITLES, type OperationName, operationProperties } from './actions/operations';

export class NsxAta implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'NSX ATA',
		name: 'nsxAta',
		icon: { light: 'file:nsxAta.svg', dark: 'file:nsxAta.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: `={{ ${JSON.stringify(OPERATION_TITLES)}[$parameter["operation"]] }}`,
		description:
			'Submit files and URLs to the NSX Advanced Threat Analyzer (Lastline) sandbox and turn analyses into MISP objects, tags and events',
		defaults: { name: 'NSX ATA' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: ANALYST_CREDENTIAL,
				required: true,
				displayOptions: { show: { authentication: ['analystApi'] } },
			},
			{
				name: PORTAL_CREDENTIAL,
				required: true,
				displayOptions: { show: { authentication: ['portalApi'] } },
			},
		],
		properties: operationProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const authentication = this.getNodeParameter('authentication', 0) as AtaAuthentication;
		const operation = this.getNodeParameter('operation', 0) as OperationName;
		const action = ACTIONS[operation] as (typeof ACTIONS)[OperationName] | undefined;
		if (!action) throw unknownOperation(this, operation);
		const signal = this.getExecutionCancelSignal();
		// One connection per execution; a bad credential (e.g. an invalid base URL) then fails every
		// item alike, each as its own error item with Continue On Fail.
		const limits = readLimits(this.getNodeParameter('limits', 0, {}) as IDataObject);
		const context = connect(this, authentication, { signal, limits }).then((connection) =>
			createActionContext(this, connection, signal),
		);
		context.catch(() => undefined);
		const concurrency = Number(this.getNodeParameter('options.concurrency', 0, DEFAULT_CONCURRENCY));
		const output = await runItems(this, items, concurrency, async (itemIndex) =>
			action.run(await context, itemIndex),
		);
		return [output];
	}
}

/**
 * n8n adds "Custom API Call" to the operation list of every node whose credential authenticates
 * requests; the call itself belongs in an HTTP Request node, where the credential logs in for it.
 */
function unknownOperation(context: IExecuteFunctions, operation: string): NodeOperationError {
	const customApiCall = operation === '__CUSTOM_API_CALL__';
	return new NodeOperationError(
		context.getNode(),
		customApiCall
			? 'Custom API Call runs in an HTTP Request node, not in this node'
			: `Unknown operation "${operation}"`,
		{
			description: customApiCall
				? 'Add an HTTP Request node with Authentication "Predefined Credential Type" and Credential Type "NSX ATA Analyst API" (or "NSX ATA Portal API"), and the full URL of the ATA endpoint on the host the credential points at (e.g. <base URL>/analysis/get_completed.json). The credential logs in and sends the session cookie; other hosts get nothing.'
				: 'Pick one of the operations in the list.',
		},
	);
}
