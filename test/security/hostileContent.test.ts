/**
 * Hostile report content: an analysis whose report carries quotes, control characters, a 100k
 * string, RTL overrides, HTML and n8n expression syntax travels through the incomplete-sweep
 * playbook (NSX ATA Query → HTTP Request objects/add) into the MISP simulator. What MISP stores is
 * exactly the report's text (a value beyond MISP's 65,535 bytes is left out whole, never cut):
 * never evaluated by n8n's expression engine, never breaking the JSON.
 */
import { runWorkflow } from '../../dev/engine';
import { MAX_VALUE_BYTES } from '../../nodes/shared/misp/values';
import { type AtaSimulator, FIXTURE_FILE_TASK } from '../../simulator/ata';
import { type MispSimulator, startMispSimulator } from '../../simulator/misp';
import { analystClient, expectNoCredentialsInUrls, startSimulator } from '../support/ataClients';
import { COMPLETE, INCOMPLETE, attributeTags, loadPlaybook, playbookCredentials } from '../support/playbooks';

const HOSTILE = [
	`he said "hi" and 'bye' \\ back\\slash \\" "}]} {"x":`,
	'ctl\u0001\u0007\u001b[31mred\r\nnext\ttab\u007f',
	'invoice\u202Efdp.exe \u202Bright-to-left\u202C \u2066isolate\u2069',
	'<script>alert(1)</script><img src=x onerror="alert(2)">&amp;',
	'{{ $env }}',
	'={{ 1+1 }}',
	"{{ $('Settings').first().json.mispUrl }} {{ $json.value }}",
	'={{ $env.HOME }}{{ $execution.id }}',
	`long-${'x'.repeat(100_000)}`,
];

let ata: AtaSimulator;
let misp: MispSimulator;

beforeAll(async () => {
	ata = await startSimulator();
	misp = await startMispSimulator();
});
afterAll(async () => {
	expectNoCredentialsInUrls(ata);
	await Promise.all([ata.close(), misp.close()]);
});

type Json = Record<string, unknown>;

it('stores every hostile string verbatim in MISP and nothing is evaluated', async () => {
	// The fixture analysis with hostile mutex names and a hostile command line.
	const result = structuredClone((await analystClient(ata).getResult(FIXTURE_FILE_TASK)) as Json);
	const subject = ((result.report as Json).analysis_subjects as Json[])[0];
	subject.mutex_creates = HOSTILE.map((mutex_name) => ({ mutex_name }));
	(subject.process as Json).arguments = HOSTILE[0] + HOSTILE[3];
	const task = ata.addTask({ kind: 'file', content: 'hostile sample', result });
	const link = `${ata.portalUrl}/portal#/analyst/task/${task}/overview`;
	const event = misp.createEvent({
		info: 'Hostile content',
		Attribute: [{ type: 'link', category: 'External analysis', value: link, Tag: [INCOMPLETE] }],
	});

	const run = await runWorkflow(loadPlaybook('incomplete-sweep', misp), { credentials: playbookCredentials(ata, misp) });
	expect(run.error).toBeUndefined();
	expect(attributeTags(misp, event.id, event.attributeIds[0])).toEqual([COMPLETE]);

	const stored = misp.getEvent(event.id)!.Event.Object;
	const mutexNames = stored
		.filter((object) => object.name === 'mutex')
		.map((object) => object.Attribute.find((a) => a.object_relation === 'name')!.value);
	const fits = HOSTILE.filter((text) => Buffer.byteLength(text) <= MAX_VALUE_BYTES);
	// Compared as booleans so a failure does not print 100k characters.
	expect(fits.map((text) => mutexNames.includes(text))).toEqual(fits.map(() => true));
	// The 100k string exceeds what MISP stores in a value: left out whole (with a warning), never cut.
	expect(mutexNames.filter((name) => name.startsWith('long-')).map((name) => name.length)).toEqual([]);
	const commandLines = stored.flatMap((object) =>
		object.Attribute.filter((a) => a.object_relation === 'command-line').map((a) => a.value),
	);
	expect(commandLines).toContain(HOSTILE[0] + HOSTILE[3]);

	// Every body MISP received was well-formed JSON (the simulator parsed each one).
	const posts = misp.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/objects/add'));
	expect(posts.length).toBe(stored.length);
	expect(posts.every((r) => typeof r.body === 'object' && r.body !== null)).toBe(true);
	// The verbatim matches above prove nothing was evaluated; nor did an expression's result land anywhere.
	const allValues = stored.flatMap((object) => object.Attribute.map((a) => a.value));
	expect(allValues.some((value) => value.includes(misp.url))).toBe(false);
});
