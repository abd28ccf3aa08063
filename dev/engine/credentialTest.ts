import { CredentialTestContext, ExecuteContext, RoutingNode } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunction,
	ICredentialTestRequest,
	INode,
	INodeCredentialTestResult,
	INodeType,
	INodeTypes,
	IVersionedNodeType,
} from 'n8n-workflow';
import { createRunExecutionData, Workflow } from 'n8n-workflow';

import { buildAdditionalData, ensureBinaryData, nextExecutionId } from './additionalData';
import { EngineCredentialsHelper } from './credentialsHelper';
import { EngineTypes } from './nodeTypes';
import type { EngineOptions } from './runWorkflow';
import { toWorkflowBase } from './workflowJson';

type CredentialTest =
	| ICredentialTestFunction
	| { testRequest: ICredentialTestRequest; nodeType?: INodeType };

const TEST_NODE_TYPE = 'n8n-nodes-base.noOp';

/**
 * Tests a credential the way n8n's credential tester does ("Test" / save in the editor): the type's
 * own `test` request (or a node's `testedBy`), sent through a temporary declarative node with the
 * credential's defaults and `authenticate` applied, then judged by the status code and the
 * `responseSuccessBody` / `responseCode` rules.
 */
export async function testCredential(
	typeName: string,
	data: Record<string, unknown>,
	options: Omit<EngineOptions, 'credentials'> = {},
): Promise<INodeCredentialTestResult> {
	await ensureBinaryData();
	const types = await EngineTypes.create(options);
	const test = findCredentialTest(types, typeName);
	if (!test) return { status: 'Error', message: 'No testing function found for this credential.' };

	const credentials: ICredentialsDecrypted = {
		id: 'engine-credential-test',
		name: typeName,
		type: typeName,
		data: data as ICredentialDataDecryptedObject,
	};
	const store = [{ id: credentials.id, name: credentials.name, type: typeName, data }];
	const additionalData = buildAdditionalData({
		types,
		credentials: store,
		mode: 'internal',
		executionId: nextExecutionId(),
		workflowData: toWorkflowBase({ name: 'credential test', nodes: [], connections: {} }),
		variables: options.variables,
	});
	const helper = additionalData.credentialsHelper as EngineCredentialsHelper;
	try {
		credentials.data = await helper.applyDefaults(
			additionalData,
			credentials.data!,
			typeName,
			'internal',
		);
	} catch (error) {
		return { status: 'Error', message: String((error as Error).message) };
	}

	if (typeof test === 'function') {
		return await test.call(new CredentialTestContext(additionalData), credentials);
	}
	return await runTestRequest(types, typeName, credentials, test, additionalData);
}

async function runTestRequest(
	types: EngineTypes,
	typeName: string,
	credentials: ICredentialsDecrypted,
	test: { testRequest: ICredentialTestRequest; nodeType?: INodeType },
	additionalData: ReturnType<typeof buildAdditionalData>,
): Promise<INodeCredentialTestResult> {
	const baseType = test.nodeType ?? types.getByNameAndVersion(TEST_NODE_TYPE);
	const { version } = baseType.description;
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: test.nodeType ? baseType.description.name : TEST_NODE_TYPE,
		typeVersion: Array.isArray(version) ? version[version.length - 1] : version,
		position: [0, 0],
		parameters: {},
		credentials: { [typeName]: { id: credentials.id, name: credentials.name } },
	};
	// A copy of the node type whose only parameter carries the test request as routing.
	const testType: INodeType = {
		description: {
			...baseType.description,
			credentials: [{ name: typeName, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: test.testRequest.request },
					default: '',
				},
			],
		},
	};
	const nodeTypes: INodeTypes = {
		getByName: () => testType,
		getByNameAndVersion: () => testType,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		createRunExecutionData({ executionData: null }),
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);

	let response;
	try {
		response = await workflow.expression.withIsolate(
			async () => await new RoutingNode(context, testType, credentials).runNode(),
		);
	} catch (error) {
		return judgeFailure(error as FailedRequest, test.testRequest);
	}
	for (const rule of test.testRequest.rules ?? []) {
		if (rule.type !== 'responseSuccessBody') continue;
		const body = response?.[0]?.[0]?.json;
		// Despite its name, the rule describes a body that means failure.
		if (valueAtPath(body, rule.properties.key) === rule.properties.value) {
			return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}

interface FailedRequest {
	message: string;
	cause?: { code?: string; response?: { status: number; statusText?: string } };
}

function judgeFailure(error: FailedRequest, test: ICredentialTestRequest): INodeCredentialTestResult {
	const response = error.cause?.response;
	if (response) {
		for (const rule of test.rules ?? []) {
			if (rule.type === 'responseCode' && rule.properties.value === response.status) {
				return { status: 'Error', message: rule.properties.message };
			}
		}
		if (response.status < 199 || response.status > 299) {
			return {
				status: 'Error',
				message: response.statusText || `Received HTTP status code: ${response.status}`,
			};
		}
	} else if (error.cause?.code) {
		return { status: 'Error', message: error.cause.code };
	}
	return { status: 'Error', message: String(error.message) };
}

/** The credential's own `test`, else a `testedBy` on a node that lists the credential. */
function findCredentialTest(types: EngineTypes, typeName: string): CredentialTest | undefined {
	const type = types.getCredentialType(typeName);
	if (type.test) return { testRequest: type.test };
	for (const nodeName of types.getSupportedNodes(typeName)) {
		const node = types.getByName(nodeName);
		for (const version of allVersions(node)) {
			for (const { name, testedBy } of version.description.credentials ?? []) {
				if (name !== typeName || !testedBy) continue;
				if (typeof testedBy !== 'string') return { testRequest: testedBy, nodeType: version };
				const method = findTestMethod(node, testedBy);
				if (method) return method;
			}
		}
	}
	return undefined;
}

function allVersions(node: INodeType | IVersionedNodeType): INodeType[] {
	return 'nodeVersions' in node ? Object.values(node.nodeVersions) : [node];
}

/** Newest version first, as n8n searches versioned nodes for the named test method. */
function findTestMethod(node: INodeType | IVersionedNodeType, method: string) {
	for (const version of allVersions(node).reverse()) {
		const found = version.methods?.credentialTest?.[method];
		if (found) return found;
	}
	return undefined;
}

/** Reads `a.b[0].c` style paths, like the lodash `get` n8n uses for these rules. */
function valueAtPath(value: unknown, path: string): unknown {
	const keys = path.split(/[.[\]]/).filter((key) => key !== '');
	let current = value;
	for (const key of keys) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[key];
	}
	return current;
}
