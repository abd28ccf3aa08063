/* eslint-disable @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
import { createHash } from 'node:crypto';

import { NodeApiError } from 'n8n-workflow';

import { runWorkflow } from '../../dev/engine';
import { LoopbackServer } from './loopbackServer';
import { chain, FIXTURE_PACKAGE, FIXTURE_PREFIX, manualTrigger, workflow } from './workflowBuilder';

const headerCredential = {
	id: 'cred-header',
	name: 'Header Auth',
	type: 'httpHeaderAuth',
	data: { name: 'X-Api-Key', value: 'header-secret-1' },
};

describe('runWorkflow with stock nodes over loopback HTTP', () => {
	let server: LoopbackServer;

	beforeEach(async () => {
		server = await new LoopbackServer().start();
	});

	afterEach(async () => {
		await server.stop();
	});

	it('runs Manual Trigger → Edit Fields → Split Out → HTTP Request → If', async () => {
		server.json('GET /items/7', { id: 7, kind: 'file' });
		server.json('GET /items/8', { id: 8, kind: 'url' });
		const definition = workflow(
			'stock chain',
			[
				manualTrigger,
				{
					name: 'Edit Fields',
					type: 'n8n-nodes-base.set',
					typeVersion: 3.4,
					parameters: {
						assignments: {
							assignments: [
								{ id: 'a1', name: 'base', value: `=${server.baseUrl}`, type: 'string' },
								{ id: 'a2', name: 'ids', value: '={{ [3 + 4, 2 * 4] }}', type: 'array' },
							],
						},
						options: {},
					},
				},
				{
					name: 'Split Out',
					type: 'n8n-nodes-base.splitOut',
					typeVersion: 1,
					parameters: { fieldToSplitOut: 'ids', include: 'allOtherFields', options: {} },
				},
				{
					name: 'HTTP Request',
					type: 'n8n-nodes-base.httpRequest',
					typeVersion: 4.2,
					parameters: {
						url: '={{ $json.base }}/items/{{ $json.ids }}',
						authentication: 'genericCredentialType',
						genericAuthType: 'httpHeaderAuth',
						options: {},
					},
					credentials: { httpHeaderAuth: { id: 'cred-header', name: 'Header Auth' } },
				},
				{
					name: 'Is File',
					type: 'n8n-nodes-base.if',
					typeVersion: 2.2,
					parameters: {
						conditions: {
							options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
							conditions: [
								{
									id: 'c1',
									leftValue: '={{ $json.kind }}',
									rightValue: 'file',
									operator: { type: 'string', operation: 'equals' },
								},
							],
							combinator: 'and',
						},
						options: {},
					},
				},
				{ name: 'Files', type: 'n8n-nodes-base.noOp', typeVersion: 1 },
				{ name: 'Others', type: 'n8n-nodes-base.noOp', typeVersion: 1 },
			],
			{
				...chain('Start', 'Edit Fields', 'Split Out', 'HTTP Request', 'Is File'),
				'Is File': {
					main: [
						[{ node: 'Files', type: 'main', index: 0 }],
						[{ node: 'Others', type: 'main', index: 0 }],
					],
				},
			},
		);

		const result = await runWorkflow(definition, { credentials: [headerCredential] });

		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		expect(result.mode).toBe('manual');
		expect(server.requests.map((r) => r.path)).toEqual(['/items/7', '/items/8']);
		expect(server.requests.map((r) => r.headers['x-api-key'])).toEqual([
			'header-secret-1',
			'header-secret-1',
		]);
		expect(result.output('HTTP Request')).toEqual([
			{ json: { id: 7, kind: 'file' }, pairedItem: { item: 0 } },
			{ json: { id: 8, kind: 'url' }, pairedItem: { item: 1 } },
		]);
		expect(result.output('Is File', 0).map((item) => item.json.id)).toEqual([7]);
		expect(result.output('Is File', 1).map((item) => item.json.id)).toEqual([8]);
		// If's outputs point back at the HTTP Request items they came from.
		expect(result.output('Is File', 0)[0].pairedItem).toEqual({ item: 0 });
		expect(result.output('Is File', 1)[0].pairedItem).toEqual({ item: 1 });
		expect(Object.keys(result.runData)).toEqual([
			'Start',
			'Edit Fields',
			'Split Out',
			'HTTP Request',
			'Is File',
			'Files',
			'Others',
		]);
	});

	const failingRequest = (settings: object) =>
		workflow(
			'failing request',
			[
				manualTrigger,
				{
					name: 'HTTP Request',
					type: 'n8n-nodes-base.httpRequest',
					typeVersion: 4.2,
					parameters: { url: `${server.baseUrl}/broken`, options: {} },
					...settings,
				},
				{ name: 'After', type: 'n8n-nodes-base.noOp', typeVersion: 1 },
			],
			chain('Start', 'HTTP Request', 'After'),
		);

	it('turns a failed request into an error item when the node continues on fail', async () => {
		server.json('GET /broken', { message: 'exploded' }, 500);

		const result = await runWorkflow(failingRequest({ onError: 'continueRegularOutput' }));

		expect(result.status).toBe('success');
		const [item] = result.output('After');
		expect(item.json.error).toEqual(expect.objectContaining({ status: 500 }));
		expect(JSON.stringify(item.json.error)).toContain('exploded');
	});

	it('routes the failure to the error output with continueErrorOutput', async () => {
		server.json('GET /broken', { message: 'exploded' }, 500);

		const result = await runWorkflow(failingRequest({ onError: 'continueErrorOutput' }));

		expect(result.status).toBe('success');
		expect(result.output('HTTP Request', 0)).toEqual([]);
		expect(result.output('HTTP Request', 1)).toHaveLength(1);
		expect(result.runData.After).toBeUndefined();
	});

	it('fails the execution when the node does not continue on fail', async () => {
		server.json('GET /broken', { message: 'exploded' }, 500);

		const result = await runWorkflow(failingRequest({}));

		expect(result.status).toBe('error');
		expect((result.error as NodeApiError).httpCode).toBe('500');
		expect((result.error as NodeApiError).node.name).toBe('HTTP Request');
		expect(result.runData.After).toBeUndefined();
	});

	it('outputs an empty item after a node with no results when alwaysOutputData is set', async () => {
		server.json('GET /empty', []);
		const definition = workflow(
			'always output',
			[
				manualTrigger,
				{
					name: 'HTTP Request',
					type: 'n8n-nodes-base.httpRequest',
					typeVersion: 4.2,
					parameters: { url: `${server.baseUrl}/empty`, options: {} },
					alwaysOutputData: true,
				},
			],
			chain('Start', 'HTTP Request'),
		);

		const result = await runWorkflow(definition);

		expect(result.output('HTTP Request')).toEqual([
			{ json: {}, pairedItem: [{ item: 0, input: 0 }] },
		]);
	});

	it('uses pinned data in manual runs only, as the editor does', async () => {
		server.json('GET /live', { source: 'live' });
		const definition = {
			...workflow(
				'pinned',
				[
					manualTrigger,
					{
						name: 'HTTP Request',
						type: 'n8n-nodes-base.httpRequest',
						typeVersion: 4.2,
						parameters: { url: `${server.baseUrl}/live`, options: {} },
					},
				],
				chain('Start', 'HTTP Request'),
			),
			pinData: { 'HTTP Request': [{ json: { source: 'pinned' } }] },
		};

		const manual = await runWorkflow(definition);
		const production = await runWorkflow(definition, { triggerItems: [{ json: {} }] });

		expect(manual.output('HTTP Request').map((item) => item.json)).toEqual([{ source: 'pinned' }]);
		expect(production.output('HTTP Request').map((item) => item.json)).toEqual([{ source: 'live' }]);
		expect(server.requests).toHaveLength(1);
	});

	it('reads binary input, stores binary output and uploads it from the binary store', async () => {
		server.json('POST /upload', { stored: true });
		const content = Buffer.from('sample contents for the sandbox\n');
		const definition = workflow(
			'binary',
			[
				{
					name: 'Webhook',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					parameters: { httpMethod: 'POST', path: 'submit', options: {} },
					webhookId: 'engine-binary',
				},
				{
					name: 'Digest',
					type: `${FIXTURE_PREFIX}.engineProbe`,
					typeVersion: 1,
					parameters: { operation: 'digest', binaryPropertyName: 'data' },
				},
				{
					name: 'Upload',
					type: 'n8n-nodes-base.httpRequest',
					typeVersion: 4.2,
					parameters: {
						method: 'POST',
						url: `${server.baseUrl}/upload`,
						sendBody: true,
						contentType: 'binaryData',
						inputDataFieldName: 'copy',
						options: {},
					},
				},
			],
			chain('Webhook', 'Digest', 'Upload'),
		);

		const result = await runWorkflow(definition, {
			packageDirs: [FIXTURE_PACKAGE],
			triggerItems: [
				{
					json: { headers: {}, body: {} },
					binary: {
						data: {
							data: content.toString('base64'),
							mimeType: 'text/plain',
							fileName: 'sample.txt',
						},
					},
				},
			],
		});

		expect(result.error).toBeUndefined();
		expect(result.mode).toBe('webhook');
		const [digest] = result.output('Digest');
		expect(digest.json).toEqual({
			sha256: createHash('sha256').update(content).digest('hex'),
			bytes: content.length,
			fileName: 'sample.txt',
			mimeType: 'text/plain',
		});
		// Binary lives in n8n's filesystem store: items hold references, as in n8n.
		expect(result.output('Webhook')[0].binary?.data.id).toMatch(/^filesystem-v2:/);
		expect(digest.binary?.copy.id).toMatch(/^filesystem-v2:/);
		expect(server.requests).toHaveLength(1);
		expect(server.requests[0].body.equals(content)).toBe(true);
		expect(result.output('Upload')[0].json).toEqual({ stored: true });
	});

	it('searches MISP attributes with the stock MISP node and a mispApi credential', async () => {
		const attributes = [{ id: '11', type: 'ip-dst', value: '198.51.100.7' }];
		server.json('POST /attributes/restSearch', { response: { Attribute: attributes } });
		const definition = workflow(
			'misp search',
			[
				manualTrigger,
				{
					name: 'MISP',
					type: 'n8n-nodes-base.misp',
					typeVersion: 1,
					parameters: {
						resource: 'attribute',
						operation: 'search',
						value: '198.51.100.7',
						additionalFields: { type: 'ip-dst', tags: 'tlp:white, ata:verdict' },
					},
					credentials: { mispApi: { id: 'cred-misp', name: 'MISP' } },
				},
			],
			chain('Start', 'MISP'),
		);

		const result = await runWorkflow(definition, {
			credentials: [
				{
					id: 'cred-misp',
					name: 'MISP',
					type: 'mispApi',
					data: { apiKey: 'misp-key-42', baseUrl: server.baseUrl },
				},
			],
		});

		expect(result.error).toBeUndefined();
		const [request] = server.requests;
		expect(request.headers.authorization).toBe('misp-key-42');
		expect(request.headers.accept).toContain('application/json');
		expect(JSON.parse(request.body.toString())).toEqual({
			value: '198.51.100.7',
			type: 'ip-dst',
			tags: ['tlp:white', 'ata:verdict'],
		});
		expect(result.output('MISP').map((item) => item.json)).toEqual(attributes);
	});

	it('cancels a running execution through the signal and aborts its HTTP request', async () => {
		let arrived!: () => void;
		const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
		server.route('GET /v1/slow', () => arrived()); // never answers
		const controller = new AbortController();
		const definition = workflow(
			'slow',
			[
				manualTrigger,
				{
					name: 'Probe',
					type: `${FIXTURE_PREFIX}.engineProbe`,
					typeVersion: 1,
					parameters: { operation: 'request', authentication: 'signedApi', path: '/slow' },
					credentials: { signedApi: { id: 'cred-signed', name: 'Signed' } },
				},
				{ name: 'After', type: 'n8n-nodes-base.noOp', typeVersion: 1 },
			],
			chain('Start', 'Probe', 'After'),
		);

		const running = runWorkflow(definition, {
			packageDirs: [FIXTURE_PACKAGE],
			credentials: [
				{
					id: 'cred-signed',
					name: 'Signed',
					type: 'signedApi',
					data: { baseUrl: server.baseUrl, keyId: 'k', secret: 's' },
				},
			],
			signal: controller.signal,
		});
		await requestArrived;
		controller.abort();
		const result = await running;

		expect(result.status).toBe('canceled');
		expect(result.runData.After).toBeUndefined();
		// httpRequestWithAuthentication passes this.getExecutionCancelSignal() to the request.
		await waitFor(() => server.requests[0].aborted);
	});
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('condition not met in time');
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}
