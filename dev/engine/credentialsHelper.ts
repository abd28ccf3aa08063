import { Credentials, getAdditionalKeys } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsExpressionResolveValues,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRequestOptionsSimplified,
	IWorkflowDataProxyAdditionalKeys,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import {
	deepCopy,
	ICredentialsHelper,
	isExpression,
	NodeHelpers,
	UnexpectedError,
	UserError,
	Workflow,
} from 'n8n-workflow';

import type { EngineTypes } from './nodeTypes';

/** A stored credential as a test supplies it: plaintext data, referenced from nodes by id. */
export interface EngineCredential {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

/** Node (and its parameterless type) used to resolve credential expressions outside a workflow. */
const credentialResolutionNode: INode = {
	id: 'credential-resolution',
	name: '',
	type: 'mock',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const credentialResolutionType = { description: { properties: [] } } as unknown as INodeType;
const credentialResolutionTypes: INodeTypes = {
	getByName: () => credentialResolutionType,
	getByNameAndVersion: () => credentialResolutionType,
	getKnownTypes: () => ({}),
};

/**
 * n8n-workflow's ICredentialsHelper over an in-memory credential store. It behaves like the one in
 * n8n's CLI: stored data gets the credential type's defaults and resolved expressions, `authenticate`
 * supports the generic and function forms, and `preAuthentication` refreshes expirable properties and
 * writes them back to the store (the caller's EngineCredential objects stand in for n8n's database,
 * so a token obtained in one run is reused by the next).
 */
export class EngineCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly types: EngineTypes,
		private readonly store: EngineCredential[],
	) {
		super();
	}

	getParentTypes(name: string): string[] {
		return this.types.getParentTypes(name);
	}

	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean {
		let restricted: boolean | undefined;
		try {
			restricted = this.types.getCredentialType(credentialType).restrictToSupportedNodes;
		} catch {
			return true;
		}
		return !restricted || this.types.getSupportedNodes(credentialType).includes(nodeType);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.types.getCredentialType(typeName);
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions as IHttpRequestOptions);
		}
		if (authenticate?.type !== 'generic') return requestOptions as IHttpRequestOptions;
		if (!workflow || !node) {
			throw new UnexpectedError('Workflow and node are required for generic credential authentication');
		}
		const target = requestOptions as unknown as Record<string, Record<string, unknown>>;
		target.headers ??= {};
		const keys = { $credentials: credentials };
		for (const [section, entries] of Object.entries(authenticate.properties)) {
			for (const [key, value] of Object.entries(entries as Record<string, string>)) {
				target[section] ??= {};
				target[section][resolveString(key, keys, workflow, node)] = resolveString(
					value,
					keys,
					workflow,
					node,
				);
			}
		}
		return requestOptions as IHttpRequestOptions;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.types.getCredentialType(typeName);
		const expirable = type.properties.find(
			(p) => p.type === 'hidden' && p.typeOptions?.expirable === true,
		);
		if (!expirable || typeof type.preAuthentication !== 'function') return undefined;
		// n8n's credential tester runs a temporary NoOp node with a `temp` parameter.
		const testing = node.parameters?.temp === '' && node.type === 'n8n-nodes-base.noOp';
		if (credentials[expirable.name] !== '' && !credentialsExpired && !testing) return undefined;

		const output = (await type.preAuthentication.call(
			helpers,
			credentials,
		)) as ICredentialDataDecryptedObject;
		if (output[expirable.name] === undefined || !node.credentials) return undefined;

		const nodeCredentials = node.credentials[type.name];
		const stored = this.find(nodeCredentials, type.name).data as ICredentialDataDecryptedObject;
		const persisted: ICredentialDataDecryptedObject = { ...stored };
		for (const [key, value] of Object.entries(output)) {
			// Fields the user stored as expressions keep their expression, as in n8n.
			if (key === expirable.name || !isExpression(stored[key])) persisted[key] = value;
		}
		await this.updateCredentials(nodeCredentials, type.name, persisted);
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const { preAuthentication } = this.types.getCredentialType(typeName);
		if (typeof preAuthentication !== 'function') return undefined;
		return (await preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject;
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string) {
		const stored = this.find(nodeCredentials, type);
		const credentials = new Credentials({ id: stored.id, name: stored.name }, type);
		await credentials.setData(deepCopy(stored.data) as ICredentialDataDecryptedObject);
		return credentials;
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const data = deepCopy(this.find(nodeCredentials, type).data) as ICredentialDataDecryptedObject;
		if (raw === true) return data;
		return await this.applyDefaults(
			additionalData,
			data,
			type,
			mode,
			executeData,
			expressionResolveValues,
		);
	}

	/** Type defaults, then resolved expressions: n8n's `applyDefaultsAndOverwrites`, minus overwrites. */
	async applyDefaults(
		additionalData: IWorkflowExecuteAdditionalData,
		original: ICredentialDataDecryptedObject,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const properties = this.getCredentialsProperties(type);
		let data = NodeHelpers.getNodeParameters(
			properties,
			original as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;
		// Not declared as properties, so getNodeParameters drops them; n8n copies them back.
		for (const key of ['oauthTokenData', 'allowedHttpRequestDomains', 'allowedDomains']) {
			if (data[key] === undefined && original[key] !== undefined) data[key] = original[key];
		}

		const additionalKeys = getAdditionalKeys(additionalData, mode, null, { isCredential: true });
		if (expressionResolveValues) {
			const { workflow, runExecutionData, runIndex, itemIndex, node, connectionInputData } =
				expressionResolveValues;
			try {
				data = workflow.expression.getParameterValue(
					data as INodeParameters,
					runExecutionData,
					runIndex,
					itemIndex,
					node.name,
					connectionInputData,
					mode,
					additionalKeys,
					executeData,
					false,
					data,
				) as ICredentialDataDecryptedObject;
			} catch (error) {
				(error as Error).message += ' [Error resolving credentials]';
				// n8n's CLI rethrows the expression error itself, with this suffix.
				// eslint-disable-next-line @n8n/community-nodes/require-node-api-error
				throw error;
			}
			return data;
		}
		const workflow = new Workflow({
			nodes: [credentialResolutionNode],
			connections: {},
			active: false,
			nodeTypes: credentialResolutionTypes,
		});
		return (await workflow.expression.withIsolate(async () =>
			workflow.expression.getComplexParameterValue(
				credentialResolutionNode,
				data as INodeParameters,
				mode,
				additionalKeys,
				undefined,
				undefined,
				data,
			),
		)) as ICredentialDataDecryptedObject;
	}

	async updateCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.find(nodeCredentials, type).data = deepCopy(data);
	}

	async updateCredentialsOauthTokenData(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const stored = this.find(nodeCredentials, type);
		stored.data = { ...stored.data, oauthTokenData: deepCopy(data.oauthTokenData) };
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		const properties = this.types.getCredentialProperties(type);
		if (!['oAuth1Api', 'oAuth2Api'].includes(type)) return properties;
		// n8n adds the token store of the OAuth base types as an extra property.
		const tokenData: INodeProperties = {
			displayName: 'oauthTokenData',
			name: 'oauthTokenData',
			type: 'json',
			required: false,
			default: {},
		};
		return [...properties, tokenData];
	}

	private find(details: INodeCredentialsDetails | undefined, type: string): EngineCredential {
		if (!details?.id) {
			throw new UserError(`Credential "${details?.name ?? ''}" of type "${type}" has no ID`);
		}
		const stored = this.store.find((c) => c.id === details.id && c.type === type);
		if (!stored) {
			throw new UserError(`Credential with ID "${details.id}" does not exist for type "${type}".`);
		}
		return stored;
	}
}

function resolveString(
	value: string,
	additionalKeys: IWorkflowDataProxyAdditionalKeys,
	workflow: Workflow,
	node: INode,
): string {
	if (!isExpression(value)) return value;
	const resolved = workflow.expression.getSimpleParameterValue(
		node,
		value,
		'internal',
		additionalKeys,
		undefined,
		'',
	);
	return resolved ? String(resolved) : '';
}
