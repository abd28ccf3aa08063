/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- development-only code, never shipped in dist/ */
/**
 * The MISP simulator's attachments (MispAttribute::saveAttachment / AttachmentTool), malware-sample
 * ZIPs (`zip -j -P infected`) and MISP Workflows' attribute after-save webhook.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { request } from 'undici';

import { readMispSample } from '../../../nodes/shared/zip/mispSample';
import { startMispSimulator, type MispSimulator } from '../../../simulator/misp';
import { mispClient } from './mispHttp';

let misp: MispSimulator;
let call: ReturnType<typeof mispClient>;
let receiver: Server;
let received: Array<{ headers: Record<string, unknown>; body: unknown }>;
let receiverUrl: string;

beforeAll(async () => {
	misp = await startMispSimulator();
	call = mispClient(misp.url, misp.apiKey);
	received = [];
	receiver = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
			res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"message":"Workflow was started"}');
		});
	});
	await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
	receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhook/misp`;
});
afterAll(async () => {
	await misp.close();
	await new Promise((resolve) => receiver.close(resolve));
});
beforeEach(() => {
	misp.setWorkflowWebhook(undefined);
	misp.reset();
	received.length = 0;
});

async function addAttribute(eventId: string, attribute: Record<string, unknown>) {
	const response = await call('POST', `/attributes/add/${eventId}`, { body: attribute });
	expect(response.status).toBe(200);
	return response.json.Attribute as { id: string; uuid: string; value: string };
}

async function download(id: string, key = misp.apiKey) {
	// An automation action: the key works without a JSON Accept header.
	const response = await request(`${misp.url}/attributes/downloadAttachment/download/${id}`, {
		headers: { authorization: key },
	});
	return { status: response.statusCode, headers: response.headers, body: Buffer.from(await response.body.arrayBuffer()) };
}

describe('attachments and malware samples', () => {
	it('zips a malware sample sent with encrypt as MISP does: value filename|md5, ZipCrypto "infected", both entries', async () => {
		const { id: eventId } = misp.createEvent({ info: 'samples' });
		const content = randomBytes(5000);
		const md5 = createHash('md5').update(content).digest('hex');
		const stored = await addAttribute(eventId, {
			type: 'malware-sample',
			category: 'Payload delivery',
			value: 'dropper.exe',
			data: content.toString('base64'),
			encrypt: true,
		});
		expect(stored.value).toBe(`dropper.exe|${md5}`);

		const search = await call('POST', '/attributes/restSearch', { body: { type: 'malware-sample', withAttachments: true } });
		const [found] = search.json.response.Attribute;
		const zip = Buffer.from(found.data as string, 'base64');
		expect(await readMispSample(zip)).toEqual({ entryName: md5, originalName: 'dropper.exe', data: content });

		const file = await download(stored.id);
		expect(file.status).toBe(200);
		expect(file.body.equals(zip)).toBe(true);
		expect(file.headers['content-type']).toBe('application/zip');
		expect(String(file.headers['content-disposition'])).toBe('attachment; filename="dropper.exe.zip"');

		const without = await call('POST', '/attributes/restSearch', { body: { type: 'malware-sample' } });
		expect(without.json.response.Attribute[0].data).toBeUndefined();
	});

	const unzipInstalled = spawnSync('unzip', ['-v']).status === 0;
	(unzipInstalled ? it : it.skip)('writes ZIPs that Info-ZIP unzip opens with the password infected', async () => {
		const { id: eventId } = misp.createEvent({ info: 'samples' });
		const content = Buffer.from('a sample '.repeat(400));
		const stored = await addAttribute(eventId, {
			type: 'malware-sample',
			value: 'report.pdf.exe',
			data: content.toString('base64'),
			encrypt: true,
		});
		const dir = mkdtempSync(join(tmpdir(), 'misp-sim-zip-'));
		try {
			writeFileSync(join(dir, 'sample.zip'), (await download(stored.id)).body);
			const md5 = createHash('md5').update(content).digest('hex');
			expect(spawnSync('unzip', ['-q', '-P', 'wrong', join(dir, 'sample.zip'), '-d', join(dir, 'bad')]).status).not.toBe(0);
			expect(spawnSync('unzip', ['-q', '-P', 'infected', join(dir, 'sample.zip'), '-d', join(dir, 'out')]).status).toBe(0);
			expect(readFileSync(join(dir, 'out', md5)).equals(content)).toBe(true);
			expect(readFileSync(join(dir, 'out', `${md5}.filename.txt`), 'utf8')).toBe('report.pdf.exe');
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('keeps an attachment as it is and serves it raw', async () => {
		const { id: eventId } = misp.createEvent({ info: 'attachments' });
		const content = randomBytes(777);
		const stored = await addAttribute(eventId, { type: 'attachment', value: 'macro.docm', data: content.toString('base64') });
		const search = await call('POST', '/attributes/restSearch', { body: { type: 'attachment', withAttachments: 1 } });
		expect(Buffer.from(search.json.response.Attribute[0].data as string, 'base64').equals(content)).toBe(true);
		const file = await download(stored.id);
		expect(file.body.equals(content)).toBe(true);
	});

	it('refuses a download of an attribute that is no attachment, or without a valid key', async () => {
		const { attributeIds } = misp.createEvent({ info: 'x', Attribute: [{ type: 'url', value: 'https://a.example/' }] });
		expect((await download(attributeIds[0])).status).toBe(401);
		expect((await download('999')).status).toBe(401);
		expect((await download(attributeIds[0], 'x'.repeat(40))).status).toBe(403);
	});
});

describe('MISP Workflows webhook on attribute after-save', () => {
	it('posts the attribute wrapped in its event when an attribute is added and when a global tag changes', async () => {
		misp.createEvent({ info: 'makes the tags exist', Tag: ['tlp:green', 'tlp:clear'] });
		misp.setWorkflowWebhook({ url: receiverUrl, headers: { 'X-Shared-Secret': 'abc' } });
		const { id: eventId } = misp.createEvent({ info: 'incoming', Tag: ['tlp:amber'] });
		const added = await addAttribute(eventId, {
			type: 'url',
			value: 'https://phish.example/login',
			Tag: [{ name: 'ata:submit' }],
		});
		await misp.webhooksSettled();
		expect(received).toHaveLength(1);
		const [{ headers, body }] = received;
		expect(headers).toMatchObject({ 'content-type': 'application/json', accept: 'application/json', 'x-shared-secret': 'abc' });
		const event = (body as { Event: Record<string, unknown> }).Event;
		expect(event).toMatchObject({ id: eventId, info: 'incoming', Tag: [{ name: 'tlp:amber', local: false }] });
		const [attribute] = event.Attribute as Array<Record<string, unknown>>;
		expect(attribute).toMatchObject({
			id: added.id,
			event_id: eventId,
			uuid: added.uuid,
			type: 'url',
			value: 'https://phish.example/login',
			Tag: [{ name: 'ata:submit', local: false }],
			_allTags: [
				{ name: 'tlp:amber', inherited: true },
				{ name: 'ata:submit', inherited: false },
			],
		});
		expect(attribute.data).toBeUndefined();
		expect(event._AttributeFlattened).toEqual([attribute]);

		// A global tag attached or removed saves the attribute again; a local one does not.
		const tags = (await call('GET', '/tags')).json.Tag as Array<{ id: string; name: string }>;
		const tagId = (name: string) => tags.find((tag) => tag.name === name)?.id;
		await call('POST', `/attributes/addTag/${added.id}/${tagId('tlp:green')}`);
		await call('POST', `/attributes/addTag/${added.id}/${tagId('tlp:clear')}/local:1`);
		await call('POST', `/attributes/removeTag/${added.id}/${tagId('ata:submit')}`);
		await misp.webhooksSettled();
		expect(misp.webhookDeliveries.map((d) => [d.action, d.status])).toEqual([
			['add', 200],
			['edit', 200],
			['edit', 200],
		]);
	});

	it('records a failed delivery and carries on', async () => {
		misp.setWorkflowWebhook({ url: 'http://127.0.0.1:9/nothing-listens-here' });
		const { id: eventId } = misp.createEvent({ info: 'incoming' });
		await addAttribute(eventId, { type: 'url', value: 'https://b.example/' });
		await misp.webhooksSettled();
		expect(misp.webhookDeliveries).toHaveLength(1);
		expect(misp.webhookDeliveries[0].error).toBeDefined();
	});
});
