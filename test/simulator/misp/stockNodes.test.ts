/**
 * The fake against n8n's real stock clients (misp.md §1.1, §7): the `mispApi` credential test,
 * the stock MISP node (legacy request helper, `json: true` → Accept: application/json) and the
 * HTTP Request node with the `mispApi` credential, which works only while its Accept prefers JSON.
 */
import type { INodeParameters } from 'n8n-workflow';

import { runWorkflow, testCredential } from '../../../dev/engine';
import { startMispSimulator, type MispSimulator } from '../../../simulator/misp';
import { chain, manualTrigger, workflow } from '../../engine/workflowBuilder';

const INCOMPLETE = 'workflow:state="incomplete"';

let misp: MispSimulator;

beforeAll(async () => {
	misp = await startMispSimulator();
});
afterAll(async () => misp.close());
beforeEach(() => misp.reset());

function credential(apiKey = misp.apiKey) {
	return {
		id: 'misp-cred',
		name: 'MISP',
		type: 'mispApi',
		data: { baseUrl: misp.url, apiKey, allowUnauthorizedCerts: false },
	};
}

function run(
	name: string,
	node: { type: string; typeVersion: number; parameters: INodeParameters },
) {
	return runWorkflow(
		workflow(
			name,
			[
				manualTrigger,
				{ name: 'Node', ...node, credentials: { mispApi: { id: 'misp-cred', name: 'MISP' } } },
			],
			chain('Start', 'Node'),
		),
		{ credentials: [credential()] },
	);
}

describe('n8n stock clients against the MISP simulator', () => {
	it('the mispApi credential test (GET /tags) passes with the key and fails without it', async () => {
		const good = await testCredential('mispApi', credential().data);
		expect(good.status).toBe('OK');
		const bad = await testCredential('mispApi', credential('Z'.repeat(40)).data);
		expect(bad.status).toBe('Error');
		expect(misp.requests.map((r) => [r.path, r.status])).toEqual([
			['/tags', 200],
			['/tags', 403],
		]);
	});

	it('stock MISP node: attribute search by tag (JSON mode) returns the tagged attributes', async () => {
		misp.createEvent({
			info: 'pending',
			Attribute: [{ type: 'link', value: 'https://ata.example/task/1', Tag: [INCOMPLETE] }],
		});
		const result = await run('search', {
			type: 'n8n-nodes-base.misp',
			typeVersion: 1,
			parameters: {
				resource: 'attribute',
				operation: 'search',
				useJson: true,
				jsonOutput: JSON.stringify({ returnFormat: 'json', tags: [INCOMPLETE] }),
			},
		});
		expect(result.status).toBe('success');
		const items = result.output('Node').map((i) => i.json);
		expect(items).toHaveLength(1);
		expect(items[0]).toMatchObject({ value: 'https://ata.example/task/1', type: 'link' });
		expect(misp.requests.at(-1)?.headers.accept).toBe('application/json');
	});

	it('stock MISP node: event create (POST /events) then event tag add', async () => {
		const created = await run('create', {
			type: 'n8n-nodes-base.misp',
			typeVersion: 1,
			parameters: {
				resource: 'event',
				operation: 'create',
				org_id: '1',
				information: 'from n8n',
				additionalFields: {},
			},
		});
		expect(created.status).toBe('success');
		const event = created.output('Node')[0].json as { id: string; info: string };
		expect(event.info).toBe('from n8n');
		const tagId = misp.knowledge.seedTags.indexOf(INCOMPLETE) + 1;
		const tagged = await run('tag', {
			type: 'n8n-nodes-base.misp',
			typeVersion: 1,
			parameters: {
				resource: 'eventTag',
				operation: 'add',
				eventId: event.id,
				tagId: String(tagId),
			},
		});
		expect(tagged.status).toBe('success');
		expect(misp.getEvent(event.id)?.Event.Tag.map((t) => t.name)).toEqual([INCOMPLETE]);
	});

	it('HTTP Request node with the mispApi credential: objects/add works only when Accept prefers JSON', async () => {
		const event = misp.createEvent({ info: 'target' });
		const objectBody = JSON.stringify({
			Object: {
				name: 'custom',
				'meta-category': 'misc',
				description: 'd',
				template_uuid: '11111111-2222-4333-8444-555555555555',
				template_version: '1',
				Attribute: [{ object_relation: 'n', type: 'text', value: 'v' }],
			},
		});
		const http = (headers: Array<{ name: string; value: string }>) =>
			run('http', {
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				parameters: {
					method: 'POST',
					url: `${misp.url}/objects/add/${event.id}`,
					authentication: 'predefinedCredentialType',
					nodeCredentialType: 'mispApi',
					sendHeaders: headers.length > 0,
					headerParameters: { parameters: headers },
					sendBody: true,
					specifyBody: 'json',
					jsonBody: objectBody,
					options: {},
				},
			});
		// n8n's HTTP Request node sends `application/json,text/html,…` by default: JSON is the
		// preferred type, which CakePHP's RequestHandler::prefers() reads as a REST call.
		const byDefault = await http([]);
		expect(byDefault.status).toBe('success');
		expect(byDefault.output('Node')[0].json).toMatchObject({ Object: { event_id: event.id } });
		expect(misp.requests.at(-1)?.headers.accept).toMatch(/^application\/json,/);
		// A client whose Accept does not prefer JSON is treated as a browser: 302 to the login
		// page, which n8n follows, so the "success" carries HTML and nothing was written.
		const browserLike = await http([{ name: 'Accept', value: '*/*' }]);
		expect(misp.requests.slice(-2).map((r) => [r.method, r.path, r.status])).toEqual([
			['POST', `/objects/add/${event.id}`, 302],
			['GET', '/users/login', 200],
		]);
		const page = JSON.stringify(browserLike.output('Node'));
		expect(page).toContain('/users/login');
		expect(page).not.toContain('"Object"');
		expect(misp.getEvent(event.id)?.Event.Object).toHaveLength(1);
	});
});
