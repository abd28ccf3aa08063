/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
/**
 * The MISP Object Builder inside n8n's real execution engine, with the workflow fixtures under
 * test/workflows: expressions, lists for multiple relations, pairedItem, Continue On Fail, the
 * three operations, the chain NSX ATA Query → Validate → Wrap as Event against the ATA simulator,
 * and a built object posted by the stock HTTP Request node to the MISP simulator.
 */
import { join } from 'node:path';

import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { type EngineCredential, readWorkflow, runWorkflow, type RunResult } from '../../dev/engine';
import { type AtaSimulator, FIXTURE_FILE_TASK } from '../../simulator/ata';
import { startMispSimulator, type MispSimulator } from '../../simulator/misp';
import { buildObject } from '../../nodes/MispObjectBuilder/objects/objectBuild';
import { validateMispObject } from '../../nodes/MispObjectBuilder/objects/objectValidation';
import { isUuid } from '../../nodes/shared/misp/uuid';
import { startSimulator } from '../support/ataClients';
import { ataCredentials } from '../support/nodeRuns';

const BUILDER = 'MISP Object Builder';
const RELATED = '5a4b4f8c-3d2e-4f1a-9b7c-0123456789ab';

interface BuilderRun {
	items: INodeExecutionData[];
	/** Parameters merged into the named node's (default the builder's). */
	parameters?: INodeParameters;
	node?: string;
	continueOnFail?: boolean;
	credentials?: EngineCredential[];
	variables?: IDataObject;
}

async function run(file: string, options: BuilderRun): Promise<RunResult> {
	const workflow = readWorkflow(join(__dirname, '..', 'workflows', file));
	const node = workflow.nodes.find((candidate) => candidate.name === (options.node ?? BUILDER));
	if (!node) throw new Error(`${file} has no "${options.node ?? BUILDER}" node`);
	node.parameters = { ...node.parameters, ...options.parameters };
	if (options.continueOnFail) node.onError = 'continueRegularOutput';
	return await runWorkflow(workflow, {
		triggerItems: options.items,
		credentials: options.credentials ?? [],
		variables: options.variables,
	});
}

const json = (result: RunResult, node = BUILDER) => result.output(node).map((item) => item.json);

const resolverItem = (host: string, ips: string | string[], extra: IDataObject = {}): INodeExecutionData => ({
	json: { event_id: 12, host, ips, ports: ['53', 853], resolver: 'dns1', ...extra },
});

describe('Build Object', () => {
	it('builds one objects/add body per item, with expressions, lists and event_id', async () => {
		const result = await run('misp-object-builder-build.json', {
			items: [
				resolverItem('www.evil.example', ['198.51.100.1', '198.51.100.2'], { related: RELATED }),
				resolverItem('cdn.evil.example', '2001:DB8::1', { firstSeen: '2024-05-01T10:00:00Z' }),
			],
		});
		expect(result.status).toBe('success');
		const items = result.output(BUILDER);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		const [first, second] = items.map((item) => item.json as { event_id: string; Object: IDataObject & { Attribute: IDataObject[] } });
		expect(Object.keys(first).sort()).toEqual(['Object', 'event_id']);
		expect(first.event_id).toBe('12');
		expect(first.Object).toMatchObject({
			name: 'domain-ip',
			template_uuid: '43b3b146-77eb-4931-b4cc-b66c60f28734',
			template_version: '11',
			distribution: '5',
			comment: 'Seen by dns1',
			ObjectReference: [{ referenced_uuid: RELATED, relationship_type: 'resolves-to' }],
		});
		expect(first.Object.Attribute.map((a) => [a.object_relation, a.value, a.to_ids, a.comment])).toEqual([
			['hostname', 'www.evil.example', true, undefined],
			['ip', '198.51.100.1', true, 'resolved by dns1'],
			['ip', '198.51.100.2', true, 'resolved by dns1'],
			['port', '53', true, undefined],
			['port', '853', true, undefined],
		]);
		expect(validateMispObject(first.Object)).toEqual([]);
		// Empty expressions leave things out: no reference, no first_seen.
		expect(second.Object.ObjectReference).toBeUndefined();
		expect(second.Object.first_seen).toBe('2024-05-01T10:00:00Z');
		expect(first.Object.first_seen).toBeUndefined();
		expect(second.Object.Attribute.find((a) => a.object_relation === 'ip')?.value).toBe('2001:db8::1');
	});

	it('gives the same deterministic UUIDs on every run', async () => {
		const once = await run('misp-object-builder-build.json', { items: [resolverItem('a.example', '192.0.2.1')] });
		const twice = await run('misp-object-builder-build.json', { items: [resolverItem('a.example', '192.0.2.1')] });
		const uuid = (json(once)[0].Object as IDataObject).uuid;
		expect(isUuid(String(uuid))).toBe(true);
		expect((json(twice)[0].Object as IDataObject).uuid).toBe(uuid);
		const random = await run('misp-object-builder-build.json', {
			items: [resolverItem('a.example', '192.0.2.1')],
			parameters: { options: { uuidMode: 'random' } },
		});
		expect((json(random)[0].Object as IDataObject).uuid).not.toBe(uuid);
	});

	it('fails the node naming the item, relation and rule without Continue On Fail', async () => {
		const result = await run('misp-object-builder-build.json', {
			items: [resolverItem('ok.example', '192.0.2.1'), resolverItem('bad.example', '192.0.2.300')],
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^The domain-ip object is invalid: relation "ip" \(value format\): ip-dst: IP address has an invalid format/);
		expect((result.error as unknown as { context: IDataObject }).context.itemIndex).toBe(1);
	});

	it('fails an item whose Event ID expression finds nothing, instead of leaving event_id out', async () => {
		const withoutEvent = { ...resolverItem('b.example', '192.0.2.2').json };
		delete withoutEvent.event_id;
		const result = await run('misp-object-builder-build.json', {
			items: [resolverItem('a.example', '192.0.2.1'), { json: withoutEvent }],
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('The Event ID expression {{ $json.event_id }} found no event ID in item 1');
		// A field left empty on purpose still means "no event yet" (the object goes into a new event).
		const cleared = await run('misp-object-builder-build.json', { items: [{ json: withoutEvent }], parameters: { eventId: '' } });
		expect(cleared.status).toBe('success');
		expect(json(cleared)[0]).not.toHaveProperty('event_id');
	});

	it('turns a bad item into an error item with Continue On Fail and keeps the others', async () => {
		const result = await run('misp-object-builder-build.json', {
			continueOnFail: true,
			items: [
				resolverItem('ok.example', '192.0.2.1'),
				resolverItem('two.example', '192.0.2.2', { host: ['a.example', 'b.example'] }),
				resolverItem('three.example', '192.0.2.3', { event_id: 'not-an-id' }),
				resolverItem('four.example', '192.0.2.4'),
			],
		});
		expect(result.status).toBe('success');
		const items = result.output(BUILDER);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(items[0].json.Object).toBeDefined();
		expect(items[1].json.error).toMatch(/relation "hostname" \(multiple\): Given 2 times/);
		expect(items[2].json.error).toMatch(/event ID "not-an-id" is neither a number nor a UUID/);
		expect(items[3].json.Object).toBeDefined();
	});
});

describe('Validate Objects', () => {
	const object = (name: string) => {
		const result = buildObject({ template: 'mutex', attributes: [{ relation: 'name', value: name }] });
		if (!result.ok) throw new Error('fixture object invalid');
		return result.object as unknown as IDataObject;
	};
	const broken: IDataObject = { ...object('x'), template_version: '0', Attribute: [{ object_relation: 'name', type: 'mutex', value: 'x' }] };

	it('passes valid objects through unchanged, one object or a list', async () => {
		const list = [object('a'), object('b')];
		const result = await run('misp-object-builder-validate.json', {
			items: [{ json: { Object: list, taskUuid: 't1' } }, { json: { Object: object('c'), event_id: '3' } }],
		});
		expect(result.status).toBe('success');
		expect(json(result)).toEqual([
			{ Object: list, taskUuid: 't1', invalidObjects: [] },
			{ Object: object('c'), event_id: '3', invalidObjects: [] },
		]);
	});

	it('fails an item with an invalid object, or gives an error item with Continue On Fail', async () => {
		const items = [{ json: { Object: [object('a'), broken] } }, { json: { Object: object('b') } }];
		const failed = await run('misp-object-builder-validate.json', { items });
		expect(failed.status).toBe('error');
		expect(failed.error?.message).toMatch(/^Object 1 \(mutex [0-9a-f-]+\) is invalid: \(template identity\): template_version is "0"/);
		expect(failed.error?.description).toMatch(/\nrelation "name" \(type mismatch\): Type "mutex" given/);
		const kept = await run('misp-object-builder-validate.json', { items, continueOnFail: true });
		const [bad, good] = json(kept);
		expect(bad.error).toMatch(/Object 1 \(mutex/);
		expect(good.Object).toEqual(object('b'));
	});

	it('removes invalid objects and lists why when asked', async () => {
		const result = await run('misp-object-builder-validate.json', {
			items: [{ json: { Object: [object('a'), broken, 'junk'] } }, { json: { Object: broken } }, { json: { other: 1 } }],
			parameters: { onInvalid: 'remove' },
			continueOnFail: true,
		});
		const [list, single, missing] = json(result);
		expect(list.Object).toEqual([object('a')]);
		expect(list.invalidObjects).toEqual([
			{
				index: 1,
				name: 'mutex',
				uuid: broken.uuid,
				problems: [
					'(template identity): template_version is "0"; expected "1".',
					'relation "name" (type mismatch): Type "mutex" given; the template requires "text".',
				],
			},
			{ index: 2, problems: ['(shape): The object is not a JSON object.'] },
		]);
		expect(single).not.toHaveProperty('Object');
		expect(single.invalidObjects).toHaveLength(1);
		expect(missing).toEqual({ other: 1, invalidObjects: [] });
		const strict = await run('misp-object-builder-validate.json', { items: [{ json: { other: 1 } }], continueOnFail: true });
		expect(json(strict)[0].error).toMatch(/no Object field/);
	});
});

describe('Wrap as Event', () => {
	const item = (names: string[], source: string, extra: IDataObject = {}): INodeExecutionData => ({
		json: {
			source,
			Object: names.map((name) => {
				const result = buildObject({ template: 'mutex', attributes: [{ relation: 'name', value: name }] });
				if (!result.ok) throw new Error('fixture object invalid');
				return result.object as unknown as IDataObject;
			}),
			...extra,
		},
	});

	it('wraps the objects of all items into one events/add body paired with every item', async () => {
		const result = await run('misp-object-builder-wrap.json', {
			items: [
				item(['a', 'b'], 'mail', { Tag: [{ name: 'tlp:amber' }, { name: 'nsx:family="x"' }] }),
				item(['b', 'c'], 'proxy', { Attribute: [{ type: 'link', value: 'https://ata.example/t', uuid: RELATED }] }),
			],
		});
		expect(result.status).toBe('success');
		const [output] = result.output(BUILDER);
		expect(result.output(BUILDER)).toHaveLength(1);
		expect(output.pairedItem).toEqual([{ item: 0 }, { item: 1 }]);
		const event = output.json.Event as IDataObject & { Object: IDataObject[]; Tag: IDataObject[] };
		expect(Object.keys(output.json)).toEqual(['Event']);
		expect(event).toMatchObject({ info: 'Objects from mail', distribution: '1', threat_level_id: '2', analysis: '2', date: '2024-05-01' });
		expect(event.Object.map((o) => (o.Attribute as IDataObject[])[0].value)).toEqual(['a', 'b', 'c']);
		expect(event.Attribute).toEqual([{ type: 'link', value: 'https://ata.example/t', uuid: RELATED }]);
		expect(event.Tag.map((t) => t.name)).toEqual(['tlp:amber', 'workflow:state="complete"', 'nsx:family="x"']);
	});

	it('wraps each item into its own event when asked, and checks the objects first', async () => {
		const bad = item(['z'], 'bad');
		(bad.json.Object as IDataObject[])[0].template_uuid = RELATED;
		const result = await run('misp-object-builder-wrap.json', {
			items: [item(['a'], 'one'), bad, item(['c'], 'three')],
			parameters: { scope: 'eachItem' },
			continueOnFail: true,
		});
		const outputs = result.output(BUILDER);
		expect(outputs.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect((outputs[0].json.Event as IDataObject).info).toBe('Objects from one');
		expect(outputs[1].json.error).toMatch(/Object 0 \(mutex\) of item 1 is invalid: \(template identity\): template_uuid/);
		expect((outputs[2].json.Event as IDataObject).info).toBe('Objects from three');
	});

	it('refuses an empty event info, or gives one error item paired with every item', async () => {
		const items = [item(['a'], ''), item(['b'], '')];
		const result = await run('misp-object-builder-wrap.json', { items, parameters: { info: ' ' } });
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/event info \(title\) is empty/);
		const kept = await run('misp-object-builder-wrap.json', { items, parameters: { info: ' ' }, continueOnFail: true });
		const outputs = kept.output(BUILDER);
		expect(outputs).toHaveLength(1);
		expect(outputs[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }]);
		expect(outputs[0].json.error).toMatch(/event info \(title\) is empty/);
	});
});

describe('with the simulators', () => {
	let ata: AtaSimulator;
	let misp: MispSimulator | undefined;

	beforeAll(async () => {
		ata = await startSimulator();
	});
	afterAll(async () => {
		await ata.close();
		await misp?.close();
	});

	const analysisLink = () => `${ata.portalUrl}/portal#/analyst/task/${FIXTURE_FILE_TASK}/overview`;

	it('NSX ATA Query → Validate → Wrap as Event keeps every converted object', async () => {
		const result = await run('misp-object-builder-ata-chain.json', {
			node: 'NSX ATA',
			items: [{ json: { value: analysisLink(), event_id: '7' } }],
			credentials: ataCredentials(ata),
		});
		expect(result.status).toBe('success');
		const [queried] = json(result, 'NSX ATA');
		const objects = queried.Object as IDataObject[];
		expect(objects.length).toBeGreaterThan(3);
		const [validated] = json(result, 'Validate');
		expect(validated.invalidObjects).toEqual([]);
		expect(validated.Object).toEqual(objects);
		const [wrapped] = result.output('Wrap as Event');
		const event = wrapped.json.Event as IDataObject;
		expect(event.info).toBe(`NSX ATA analysis ${FIXTURE_FILE_TASK}`);
		expect(event.Object).toEqual(objects);
		expect(event.Tag).toEqual(queried.Tag);
		expect(event.Attribute).toEqual(queried.Attribute);
	});

	it('NSX ATA Query with one item per object → Validate → one event', async () => {
		const result = await run('misp-object-builder-ata-chain.json', {
			node: 'NSX ATA',
			items: [{ json: { value: analysisLink() } }],
			parameters: { options: { output: 'objectItems' } },
			credentials: ataCredentials(ata),
		});
		expect(result.status).toBe('success');
		const perObject = json(result, 'NSX ATA');
		expect(perObject.length).toBeGreaterThan(3);
		expect(json(result, 'Validate').every((item) => (item.invalidObjects as unknown[]).length === 0)).toBe(true);
		const [wrapped] = result.output('Wrap as Event');
		expect(wrapped.pairedItem).toHaveLength(perObject.length);
		expect((wrapped.json.Event as IDataObject).Object).toEqual(perObject.map((item) => item.Object));
	});

	it('the stock HTTP Request node posts a built object with the mispApi credential and MISP accepts it', async () => {
		misp = await startMispSimulator();
		const target = misp.createEvent({ info: 'target' });
		const sha256 = 'AB'.repeat(32);
		const result = await run('misp-object-builder-post.json', {
			items: [{ json: { event_id: target.id, fileName: 'invoice.exe', sha256 } }],
			credentials: [
				{ id: 'misp-cred', name: 'MISP', type: 'mispApi', data: { baseUrl: misp.url, apiKey: misp.apiKey, allowUnauthorizedCerts: false } },
			],
			variables: { mispUrl: misp.url },
		});
		expect(result.status).toBe('success');
		const built = json(result)[0].Object as IDataObject;
		const [response] = json(result, 'HTTP Request');
		expect(response).toMatchObject({ Object: { event_id: target.id, uuid: built.uuid, name: 'file' } });
		const request = misp.requests.find((r) => r.path === `/objects/add/${target.id}`);
		expect(request?.status).toBe(200);
		expect(request?.headers.accept).toBe('application/json');
		expect(request?.headers['content-type']).toMatch(/^application\/json/);
		expect(request?.body).toEqual({ Object: built });
		const stored = misp.getEvent(target.id)?.Event.Object ?? [];
		expect(stored).toHaveLength(1);
		expect(stored[0].Attribute.map((a) => [a.object_relation, a.value, a.category, a.to_ids])).toEqual([
			['filename', 'invoice.exe', 'Payload delivery', true],
			['sha256', sha256.toLowerCase(), 'Payload delivery', true],
		]);
	});

	it('Build → Wrap as Event → HTTP Request creates the event with objects and references in one call', async () => {
		misp ??= await startMispSimulator();
		const dropper = '0f6a1f34-94a1-4c4e-8d11-3a8f2b0c1d22';
		const dropped = 'c6b8e0d2-7a43-4f4c-9a55-0d4e3b2a1f10';
		const result = await run('misp-object-builder-post-event.json', {
			items: [
				{ json: { source: 'mail', uuid: dropper, fileName: 'loader.exe', sha256: 'a'.repeat(64), drops: dropped } },
				{ json: { uuid: dropped, fileName: 'payload.dll', sha256: 'b'.repeat(64) } },
			],
			credentials: [
				{ id: 'misp-cred', name: 'MISP', type: 'mispApi', data: { baseUrl: misp.url, apiKey: misp.apiKey, allowUnauthorizedCerts: false } },
			],
			variables: { mispUrl: misp.url },
		});
		expect(result.status).toBe('success');
		const [response] = json(result, 'HTTP Request');
		const created = response.Event as { id: string };
		const stored = misp.getEvent(created.id)?.Event;
		expect(stored?.info).toBe('Files from mail');
		expect(stored?.Tag.map((t) => t.name)).toEqual(['tlp:green']);
		expect(stored?.Object.map((o) => o.uuid)).toEqual([dropper, dropped]);
		expect(stored?.Object[0].ObjectReference).toEqual([
			expect.objectContaining({ referenced_uuid: dropped, referenced_type: '1', relationship_type: 'drops' }),
		]);
	});
});
