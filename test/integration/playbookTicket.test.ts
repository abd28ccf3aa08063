/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development-only code, never shipped in dist/ */
/**
 * Playbook 4 (examples/ticket-on-malicious.json): the NSX ATA Trigger's poll, then the run it
 * starts: score filter → NSX ATA Query → the stock TheHive 5 node against a loopback TheHive stand-in.
 */
import { join } from 'node:path';

import { pollTrigger, readWorkflow, runWorkflow } from '../../dev/engine';
import type { AtaSimulator } from '../../simulator/ata';
import { type MispSimulator, startMispSimulator } from '../../simulator/misp';
import { startTheHiveStub } from '../../simulator/theHive';
import { startSimulator } from '../support/ataClients';
import { EXAMPLES_DIR, playbookCredentials } from '../support/playbooks';

let now = Date.UTC(2026, 5, 1, 12, 0, 0);
let ata: AtaSimulator;
let misp: MispSimulator;

beforeAll(async () => {
	ata = await startSimulator({ clock: () => now });
	misp = await startMispSimulator();
});
afterAll(async () => {
	await Promise.all([ata.close(), misp.close()]);
});

it('raises one TheHive alert per malicious analysis with its link and ATT&CK techniques', async () => {
	const thehive = await startTheHiveStub();
	try {
		const workflow = readWorkflow(join(EXAMPLES_DIR, 'ticket-on-malicious.json'));
		const credentials = [
			...playbookCredentials(ata, misp),
			{ id: 'thehive', name: 'TheHive', type: 'theHiveProjectApi', data: { ApiKey: 'thehive-key', url: thehive.url } },
		];
		const activation = await pollTrigger(workflow, 'Analysis completed', { mode: 'trigger', credentials });
		const scores = [12, 75, 96];
		const tasks = scores.map((score, i) => {
			now += 1000;
			return ata.addTask({ kind: 'file', content: `sample ${i}`, score });
		});
		now += 2000;
		const poll = await pollTrigger(workflow, 'Analysis completed', {
			mode: 'trigger',
			credentials,
			staticData: activation.staticData,
		});
		expect(poll.items![0]).toHaveLength(3);

		const run = await runWorkflow(workflow, { triggerItems: poll.items![0], credentials });
		expect(run.error).toBeUndefined();
		expect(thehive.alerts.map((alert) => alert.body.sourceRef)).toEqual([tasks[1], tasks[2]]);
		for (const alert of thehive.alerts) {
			expect(alert.authorization).toBe('Bearer thehive-key');
			expect(alert.body).toMatchObject({ type: 'nsx-ata', source: 'NSX ATA' });
			expect(alert.body.description).toContain(`${ata.portalUrl}/portal#/analyst/task/${alert.body.sourceRef}/overview`);
			expect(alert.body.description).toMatch(/ATT&CK techniques:\n- .+ - T\d{4}/);
			expect(alert.body.tags).toEqual(expect.arrayContaining(['nsx-ata', 'malicious']));
		}
		expect(thehive.alerts[1].body.severity).toBe(4);
	} finally {
		await thehive.close();
	}
});
