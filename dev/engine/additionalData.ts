/* eslint-disable @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
import { BinaryDataService, ExecutionLifecycleHooks, ExternalSecretsProxy } from 'n8n-core';
import type {
	IDataObject,
	INodeExecutionData,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { BINARY_ENCODING, deepCopy, UnexpectedError } from 'n8n-workflow';

import { Container } from './container';
import type { EngineCredential } from './credentialsHelper';
import { EngineCredentialsHelper } from './credentialsHelper';
import type { EngineTypes } from './nodeTypes';

/** Base URL the in-process "instance" pretends to live at; nothing listens there. */
export const INSTANCE_BASE_URL = 'http://127.0.0.1:5678';

let binaryDataReady: Promise<void> | undefined;

/**
 * Binary data goes through n8n-core's real BinaryDataService in its default (filesystem) mode, with
 * the store under N8N_USER_FOLDER, so getBinaryDataBuffer / getBinaryStream / prepareBinaryData
 * behave as in n8n.
 */
export async function ensureBinaryData(): Promise<void> {
	binaryDataReady ??= Container.get(BinaryDataService).init();
	await binaryDataReady;
}

// Numeric like n8n's, and offset by the process id so concurrent processes sharing one user
// folder never write binary data under the same execution.
/**
 * Moves inline (base64) binary data of trigger items into the binary store, so items look like
 * those a Webhook or Form Trigger produces in n8n: a store reference, readable as a stream.
 */
export async function storeInlineBinaries(
	items: INodeExecutionData[],
	workflowId: string,
	executionId: string,
): Promise<INodeExecutionData[]> {
	const service = Container.get(BinaryDataService);
	const stored = deepCopy(items);
	for (const item of stored) {
		for (const binary of Object.values(item.binary ?? {})) {
			if (binary.id) continue;
			const content = Buffer.from(binary.data, BINARY_ENCODING);
			await service.store({ type: 'execution', workflowId, executionId }, content, binary);
		}
	}
	return stored;
}

let executionCounter = process.pid * 100_000;

export function nextExecutionId(): string {
	executionCounter += 1;
	return String(executionCounter);
}

export interface AdditionalDataInput {
	types: EngineTypes;
	credentials: EngineCredential[];
	mode: WorkflowExecuteMode;
	executionId: string;
	workflowData: IWorkflowBase;
	variables?: IDataObject;
}

export function buildAdditionalData(input: AdditionalDataInput): IWorkflowExecuteAdditionalData {
	const { mode, executionId, workflowData } = input;
	const unsupported = (what: string) => async () => {
		throw new UnexpectedError(`${what} is not supported by the in-process engine runner`);
	};
	const base = INSTANCE_BASE_URL;
	return {
		credentialsHelper: new EngineCredentialsHelper(input.types, input.credentials),
		hooks: new ExecutionLifecycleHooks(mode, executionId, workflowData),
		externalSecretsProxy: Container.get(ExternalSecretsProxy),
		executionId,
		workflowId: workflowData.id,
		userId: 'engine-user',
		currentNodeExecutionIndex: 0,
		variables: input.variables ?? {},
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: `${base}/`,
		formBaseUrl: `${base}/form`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		formTestBaseUrl: `${base}/form-test`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		mcpBaseUrl: `${base}/mcp`,
		mcpTestBaseUrl: `${base}/mcp-test`,
		executeWorkflow: unsupported('Executing a sub-workflow'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		startRunnerTask: unsupported('Running a task-runner task (Code node)'),
		logAiEvent: () => {},
	};
}
