/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development-only code, never shipped in dist/ */
import { performance } from 'node:perf_hooks';

import { WorkflowExecute } from 'n8n-core';
import type {
	ExecutionError,
	ExecutionStatus,
	IDataObject,
	IExecuteResponsePromiseData,
	INode,
	INodeExecutionData,
	IRun,
	IRunData,
	Workflow,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { createRunExecutionData, UserError } from 'n8n-workflow';

import {
	buildAdditionalData,
	ensureBinaryData,
	nextExecutionId,
	storeInlineBinaries,
} from './additionalData';
import type { EngineCredential } from './credentialsHelper';
import { EngineTypes } from './nodeTypes';
import type { WorkflowJson } from './workflowJson';
import { instantiate, plainStaticData, toWorkflowBase } from './workflowJson';

export interface EngineOptions {
	credentials?: EngineCredential[];
	/** Default 'n8n-nodes-nsx-ata'; another prefix (e.g. 'CUSTOM') also maps to this package. */
	typePrefix?: string;
	/** Extra source packages to load node and credential types from (e.g. test fixtures). */
	packageDirs?: string[];
	/** `$vars` as n8n exposes them to expressions. */
	variables?: IDataObject;
}

export interface RunOptions extends EngineOptions {
	/** Default: the workflow's trigger / webhook / poll node, else its first node without inputs. */
	startNode?: string;
	/**
	 * Output of the start node, e.g. a webhook body, a form submission or items with binary data
	 * (inline base64 binary is moved into the binary store first, as a webhook would store it).
	 * With items the run is a production execution ('webhook' for webhook-based start nodes,
	 * else 'trigger') and the start node passes them on as n8n does; without, it is a manual run
	 * in which the start node itself executes (a Manual Trigger emits one empty item).
	 */
	triggerItems?: INodeExecutionData[];
	staticData?: IDataObject;
	signal?: AbortSignal;
	/** Overrides the execution mode chosen from `triggerItems`. */
	mode?: WorkflowExecuteMode;
}

export interface RunResult {
	status: ExecutionStatus;
	error?: ExecutionError;
	runData: IRunData;
	/** Items the node produced on the given output in its last run ([] if it did not run). */
	output(nodeName: string, outputIndex?: number): INodeExecutionData[];
	staticData: IDataObject;
	durationMs: number;
	executionId: string;
	mode: WorkflowExecuteMode;
	/** What Respond to Webhook (or a webhook node) sent back as the HTTP response, in order. */
	responses: IExecuteResponsePromiseData[];
	/** The engine's full result, for anything not surfaced above. */
	run: IRun;
}

/**
 * Runs a workflow through n8n-core's WorkflowExecute, as n8n runs a manual or production run.
 * A workflow with parameter or credential issues throws WorkflowHasIssuesError before it starts.
 */
export async function runWorkflow(json: WorkflowJson, options: RunOptions = {}): Promise<RunResult> {
	const started = performance.now();
	await ensureBinaryData();
	const types = await EngineTypes.create({
		packageDirs: options.packageDirs,
		typePrefix: options.typePrefix,
	});
	const workflow = instantiate(json, types, options.staticData ?? json.staticData ?? {});
	const startNode = pickStartNode(workflow, types, options.startNode);
	const mode = options.mode ?? chooseMode(types, startNode, options.triggerItems);
	const executionId = nextExecutionId();
	const additionalData = buildAdditionalData({
		types,
		credentials: options.credentials ?? [],
		mode,
		executionId,
		workflowData: toWorkflowBase(json),
		variables: options.variables,
	});

	const hooks = additionalData.hooks!;
	const responses: IExecuteResponsePromiseData[] = [];
	hooks.addHandler('sendResponse', (response) => {
		responses.push(response);
	});
	const finished = new Promise<IRun>((resolve) => {
		hooks.addHandler('workflowExecuteAfter', (run) => resolve(run));
	});
	const triggerItems = options.triggerItems
		? await storeInlineBinaries(options.triggerItems, workflow.id, executionId)
		: [{ json: {} }];
	// Executions time out and use pinned data as n8n does: pins only count in manual runs.
	const timeoutSeconds = json.settings?.executionTimeout ?? -1;
	if (timeoutSeconds > 0) additionalData.executionTimeoutTimestamp = Date.now() + timeoutSeconds * 1000;
	const runExecutionData = createRunExecutionData({
		resultData: { pinData: mode === 'manual' ? json.pinData : undefined },
		executionData: {
			nodeExecutionStack: [
				{
					node: startNode,
					data: { main: [triggerItems] },
					source: null,
				},
			],
		},
	});
	const execution = new WorkflowExecute(additionalData, mode, runExecutionData);
	const running = execution.processRunExecutionData(workflow);
	// Cancelled executions settle through the workflowExecuteAfter hook, as in n8n.
	running.catch(() => {});
	const cancel = () => running.cancel();
	if (options.signal?.aborted) cancel();
	options.signal?.addEventListener('abort', cancel, { once: true });

	let run: IRun;
	try {
		run = await Promise.race([finished, running]);
	} finally {
		options.signal?.removeEventListener('abort', cancel);
	}
	const runData = run.data.resultData.runData;
	return {
		status: run.status,
		error: run.data.resultData.error,
		runData,
		output: (nodeName, outputIndex = 0) =>
			runData[nodeName]?.at(-1)?.data?.main?.[outputIndex] ?? [],
		staticData: plainStaticData(workflow),
		durationMs: performance.now() - started,
		executionId,
		mode,
		responses,
		run,
	};
}

function pickStartNode(workflow: Workflow, types: EngineTypes, name?: string): INode {
	if (name !== undefined) {
		const node = workflow.getNode(name);
		if (!node) throw new UserError(`The workflow has no node named "${name}"`);
		return node;
	}
	const nodes = Object.values(workflow.nodes).filter((node) => !node.disabled);
	const trigger = nodes.find((node) => {
		const type = types.getByNameAndVersion(node.type, node.typeVersion);
		return Boolean(type.trigger ?? type.poll ?? type.webhook);
	});
	const root = nodes.find((node) => workflow.getParentNodes(node.name).length === 0);
	const start = trigger ?? root;
	if (!start) throw new UserError('The workflow has no node to start from');
	return start;
}

function chooseMode(
	types: EngineTypes,
	node: INode,
	triggerItems: INodeExecutionData[] | undefined,
): WorkflowExecuteMode {
	if (!triggerItems) return 'manual';
	const type = types.getByNameAndVersion(node.type, node.typeVersion);
	return type.webhook ? 'webhook' : 'trigger';
}
