/* eslint-disable @n8n/community-nodes/icon-validation, @n8n/community-nodes/require-node-description-fields -- test-only fixture type, never published */
import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

/** Polling trigger test node: emits events newer than the last id it stored in node static data. */
export class CounterPoll implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Counter Poll',
		name: 'counterPoll',
		group: ['trigger'],
		version: 1,
		description: 'Engine runner test polling trigger',
		defaults: { name: 'Counter Poll' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'URL', name: 'url', type: 'string', default: '' }],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const state = this.getWorkflowStaticData('node');
		const since = (state.lastId as number | undefined) ?? 0;
		const { events } = (await this.helpers.httpRequest({
			url: this.getNodeParameter('url') as string,
			qs: { since },
			json: true,
		})) as { events: Array<IDataObject & { id: number }> };
		if (events.length === 0) return null;
		state.lastId = Math.max(...events.map((event) => event.id));
		return [this.helpers.returnJsonArray(events)];
	}
}
