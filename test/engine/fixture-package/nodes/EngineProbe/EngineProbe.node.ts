/* eslint-disable @n8n/community-nodes/node-usable-as-tool, @n8n/community-nodes/icon-validation, @n8n/community-nodes/require-node-description-fields -- test-only fixture type, never published */
import { createHash } from 'node:crypto';

import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	IExecuteFunctions,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

const CREDENTIAL_TYPES = ['sessionLoginApi', 'signedApi', 'probeTokenApi'];

/** Test node: authenticated requests through the engine, and binary input read back. */
export class EngineProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Engine Probe',
		name: 'engineProbe',
		group: ['transform'],
		version: 1,
		description: 'Engine runner test node',
		defaults: { name: 'Engine Probe' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: CREDENTIAL_TYPES.map((name) => ({
			name,
			required: true,
			testedBy: name === 'probeTokenApi' ? 'probeTokenTest' : undefined,
			displayOptions: { show: { authentication: [name] } },
		})),
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Request', value: 'request' },
					{ name: 'Digest Binary', value: 'digest' },
				],
				default: 'request',
			},
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{ name: 'None', value: 'none' },
					...CREDENTIAL_TYPES.map((name) => ({ name, value: name })),
				],
				default: 'none',
			},
			{
				displayName: 'Path',
				name: 'path',
				type: 'string',
				default: '/',
				displayOptions: { show: { operation: ['request'] } },
			},
			{
				displayName: 'Binary Property',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				displayOptions: { show: { operation: ['digest'] } },
			},
		],
	};

	methods = {
		credentialTest: {
			async probeTokenTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const data = credential.data ?? {};
				try {
					// ICredentialTestFunctions offers only the legacy request helper, as in n8n's own nodes.
					// eslint-disable-next-line @n8n/community-nodes/no-deprecated-workflow-functions
					const body = (await this.helpers.request({
						uri: `${data.baseUrl as string}/probe`,
						headers: { 'X-Probe-Token': data.token },
						json: true,
					})) as { ok?: boolean };
					return body.ok
						? { status: 'OK', message: 'Probe accepted the token' }
						: { status: 'Error', message: 'Probe refused the token' };
				} catch (error) {
					return { status: 'Error', message: (error as Error).message };
				}
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const output: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			const operation = this.getNodeParameter('operation', i) as string;
			if (operation === 'digest') {
				const property = this.getNodeParameter('binaryPropertyName', i) as string;
				const meta = this.helpers.assertBinaryData(i, property);
				const buffer = await this.helpers.getBinaryDataBuffer(i, property);
				const copy = await this.helpers.prepareBinaryData(buffer, `copy-${meta.fileName ?? ''}`);
				output.push({
					json: {
						sha256: createHash('sha256').update(buffer).digest('hex'),
						bytes: buffer.length,
						fileName: meta.fileName,
						mimeType: meta.mimeType,
					},
					binary: { copy },
					pairedItem: { item: i },
				});
				continue;
			}
			const credentialType = this.getNodeParameter('authentication', i) as string;
			const credentials = await this.getCredentials(credentialType);
			const root = (credentials.apiRoot ?? credentials.baseUrl) as string;
			const response = (await this.helpers.httpRequestWithAuthentication.call(
				this,
				credentialType,
				{ method: 'GET', url: `${root}${this.getNodeParameter('path', i) as string}`, json: true },
			)) as IDataObject;
			output.push({ json: response, pairedItem: { item: i } });
		}
		return [output];
	}
}
