import { runWorkflow } from '../../dev/engine';
import { chain, workflow } from './workflowBuilder';

const filterKeeping = (verdict: string) => ({
	name: 'Filter',
	type: 'n8n-nodes-base.filter',
	typeVersion: 2,
	parameters: {
		conditions: {
			options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 1 },
			conditions: [
				{
					id: 'f1',
					leftValue: '={{ $json.verdict }}',
					rightValue: verdict,
					operator: { type: 'string', operation: 'equals' },
				},
			],
			combinator: 'and',
		},
		options: {},
	},
});

describe('start nodes', () => {
	it('feeds a form submission (with its file) through Form Trigger and Filter', async () => {
		const definition = workflow(
			'form',
			[
				{
					name: 'Form',
					type: 'n8n-nodes-base.formTrigger',
					typeVersion: 2.2,
					parameters: {
						formTitle: 'Submit a sample',
						formFields: {
							values: [{ fieldLabel: 'verdict' }, { fieldLabel: 'sample', fieldType: 'file' }],
						},
						options: {},
					},
					webhookId: 'engine-form',
				},
				filterKeeping('malicious'),
			],
			chain('Form', 'Filter'),
		);
		const file = {
			data: Buffer.from('MZ').toString('base64'),
			mimeType: 'application/octet-stream',
			fileName: 'a.exe',
		};

		const result = await runWorkflow(definition, {
			triggerItems: [
				{
					json: { verdict: 'malicious', submittedAt: '2026-11-28T08:00:00Z' },
					binary: { sample: file },
				},
				{ json: { verdict: 'benign', submittedAt: '2026-11-28T08:01:00Z' } },
			],
		});

		expect(result.error).toBeUndefined();
		expect(result.mode).toBe('webhook');
		const kept = result.output('Filter');
		expect(kept.map((item) => item.json.verdict)).toEqual(['malicious']);
		expect(kept[0].binary?.sample.fileName).toBe('a.exe');
		expect(kept[0].pairedItem).toEqual({ item: 0 });
	});

	it('answers a webhook through Respond to Webhook', async () => {
		const definition = workflow(
			'respond',
			[
				{
					name: 'Webhook',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					parameters: {
						httpMethod: 'POST',
						path: 'verdict',
						responseMode: 'responseNode',
						options: {},
					},
					webhookId: 'engine-respond',
				},
				{
					name: 'Respond',
					type: 'n8n-nodes-base.respondToWebhook',
					typeVersion: 1.1,
					parameters: {
						respondWith: 'json',
						responseBody: '={{ { "received": $json.body.sha256, "status": "queued" } }}',
						options: { responseCode: 202 },
					},
				},
			],
			chain('Webhook', 'Respond'),
		);

		const result = await runWorkflow(definition, {
			triggerItems: [{ json: { headers: {}, query: {}, body: { sha256: 'abc123' } } }],
		});

		expect(result.error).toBeUndefined();
		expect(result.responses).toEqual([
			expect.objectContaining({
				body: { received: 'abc123', status: 'queued' },
				statusCode: 202,
			}),
		]);
	});

	it('runs a Schedule Trigger manually and merges its item with a second branch', async () => {
		const definition = workflow(
			'schedule',
			[
				{
					name: 'Schedule',
					type: 'n8n-nodes-base.scheduleTrigger',
					typeVersion: 1.2,
					parameters: { rule: { interval: [{ field: 'hours', hoursInterval: 1 }] } },
				},
				{
					name: 'Tag',
					type: 'n8n-nodes-base.set',
					typeVersion: 3.4,
					parameters: {
						assignments: {
							assignments: [{ id: 't', name: 'source', value: 'schedule', type: 'string' }],
						},
						options: {},
					},
				},
				{
					name: 'Merge',
					type: 'n8n-nodes-base.merge',
					typeVersion: 3,
					parameters: { mode: 'combine', combineBy: 'combineByPosition', options: {} },
				},
			],
			{
				Schedule: {
					main: [
						[
							{ node: 'Tag', type: 'main', index: 0 },
							{ node: 'Merge', type: 'main', index: 1 },
						],
					],
				},
				Tag: { main: [[{ node: 'Merge', type: 'main', index: 0 }]] },
			},
		);

		const result = await runWorkflow(definition);

		expect(result.error).toBeUndefined();
		const [merged] = result.output('Merge');
		expect(merged.json.source).toBe('schedule');
		// The Schedule Trigger's own manual output (timestamp fields) joined in from input 2.
		expect(typeof merged.json.timestamp).toBe('string');
	});
});
