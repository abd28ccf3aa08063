import { PollContext, TriggersAndPollers } from 'n8n-core';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { UserError } from 'n8n-workflow';

import { buildAdditionalData, ensureBinaryData, nextExecutionId } from './additionalData';
import { Container } from './container';
import { EngineTypes } from './nodeTypes';
import type { EngineOptions } from './runWorkflow';
import type { WorkflowJson } from './workflowJson';
import { instantiate, plainStaticData, toWorkflowBase } from './workflowJson';

export interface PollOptions extends EngineOptions {
	/** 'trigger': a scheduled poll of an active workflow; 'manual': the editor's "Fetch test event". */
	mode: 'trigger' | 'manual';
	/** Workflow static data from the previous poll (node static data lives under `node:<name>`). */
	staticData?: IDataObject;
}

export interface PollResult {
	/** What poll() returned: null means "nothing new", and n8n starts no execution. */
	items: INodeExecutionData[][] | null;
	staticData: IDataObject;
}

/** Runs one poll of a polling trigger through n8n-core's PollContext and TriggersAndPollers. */
export async function pollTrigger(
	json: WorkflowJson,
	nodeName: string,
	options: PollOptions,
): Promise<PollResult> {
	await ensureBinaryData();
	const types = await EngineTypes.create({
		packageDirs: options.packageDirs,
		typePrefix: options.typePrefix,
	});
	const workflow = instantiate(json, types, options.staticData ?? json.staticData ?? {});
	const node = workflow.getNode(nodeName);
	if (!node) throw new UserError(`The workflow has no node named "${nodeName}"`);

	const mode = options.mode;
	const additionalData = buildAdditionalData({
		types,
		credentials: options.credentials ?? [],
		mode,
		executionId: nextExecutionId(),
		workflowData: toWorkflowBase(json),
		variables: options.variables,
	});
	const context = new PollContext(
		workflow,
		node,
		additionalData,
		mode,
		mode === 'manual' ? 'manual' : 'activate',
	);
	const items = await workflow.expression.withIsolate(
		async () => await Container.get(TriggersAndPollers).runPollFunction(workflow, node, context),
	);
	return { items, staticData: plainStaticData(workflow) };
}
