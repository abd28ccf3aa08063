/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- development-only code, never shipped in dist/ */
/**
 * `npm run screenshots`: regenerates docs/*.png from a real n8n (the e2e's cached install) with
 * the package installed as a community package, driven in headless Chromium (Debian's
 * `chromium`, installed with apt-get when absent; playwright-core never downloads a browser).
 * The browser may reach 127.0.0.1 only: every other request is aborted.
 *
 * Flags: --skip-build (use dist/ as it is), --keep (keep the temporary folder),
 * --only=authentication (only the credential dialog's Authentication choice).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Browser, BrowserContext, Page } from 'playwright-core';

import { INCOMPLETE } from '../dev/mispState';
import { FIXTURE_FILE_TASK, FIXTURE_URL_TASK } from '../simulator/ata';
import { exitWith } from './e2e/checks';
import { analysisLink, e2eCredentials, type Simulators, startSimulators } from './e2e/context';
import { ensureN8n } from './e2e/install';
import { N8nInstance } from './e2e/n8nCli';
import { buildAndPack, installAsCommunityPackage, REPO_ROOT } from './e2e/packaging';
import { e2ePlaybook, type ImportableWorkflow } from './e2e/playbooks';
import { OWNER } from './e2e/secrets';
import { N8nServer, ownerEnvironment } from './e2e/server';
import { aptInstall } from './e2e/services';

const CHROMIUM = '/usr/bin/chromium';
const DOCS = join(REPO_ROOT, 'docs');
const args = new Set(process.argv.slice(2));

const PLAYBOOKS = [
	{ file: 'incomplete-sweep', id: 'nsxShotSweep00001' },
	{ file: 'submit-and-enrich', id: 'nsxShotSubmit0001' },
	{ file: 'import-by-link', id: 'nsxShotImport0001' },
	{ file: 'ticket-on-malicious', id: 'nsxShotTicket0001' },
	{ file: 'submit-tagged-samples', id: 'nsxShotSubmitTag1' },
	{ file: 'submit-on-misp-webhook', id: 'nsxShotSubmitHook' },
] as const;

/** The sweep again, to execute in the editor (from its Schedule Trigger, as a user would). */
const SWEEP_RUN_ID = 'nsxShotSweepRun01';

/** A one-node showcase of the MISP Object Builder's fields. */
const BUILDER_ID = 'nsxShotBuilder001';

function builderShowcase(): ImportableWorkflow {
	return {
		id: BUILDER_ID,
		name: 'MISP Object Builder: build a file object',
		nodes: [
			{
				id: '5b0c0000-0000-4000-8000-000000000001',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: '5b0c0000-0000-4000-8000-000000000002',
				name: 'MISP Object Builder',
				type: 'n8n-nodes-nsx-ata.mispObjectBuilder',
				typeVersion: 1,
				position: [240, 0],
				parameters: {
					operation: 'buildObject',
					template: 'file',
					eventId: '={{ $json.event_id }}',
					attributes: {
						attribute: [
							{ relation: 'filename', value: '={{ $json.fileName }}' },
							{ relation: 'sha256', value: '={{ $json.sha256 }}' },
							{ relation: 'size-in-bytes', value: '={{ $json.size }}' },
						],
					},
				},
			},
		],
		connections: { Start: { main: [[{ node: 'MISP Object Builder', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

interface Stage {
	server: N8nServer;
	sims: Simulators;
	close(): Promise<void>;
}

/** n8n with the package, the playbooks and a MISP holding incomplete analysis links. */
async function prepareStage(work: string): Promise<Stage> {
	const install = await ensureN8n((line) => console.log(line));
	const pkg = await buildAndPack(join(work, 'pack'), args.has('--skip-build'));
	const sims = await startSimulators();
	const instance = new N8nInstance(install, { userFolder: join(work, 'n8n') });
	await installAsCommunityPackage(pkg, instance);
	await instance.importCredentials(e2eCredentials(sims));
	const mispUrl = sims.misp.url;
	for (const playbook of PLAYBOOKS) {
		await instance.importWorkflow(e2ePlaybook(playbook.file, { id: playbook.id, mode: 'community', mispUrl }));
	}
	await instance.importWorkflow(e2ePlaybook('incomplete-sweep', { id: SWEEP_RUN_ID, mode: 'community', mispUrl }));
	await instance.importWorkflow(builderShowcase());
	sims.misp.createEvent({
		info: 'Phishing campaign',
		Attribute: [
			{ type: 'link', category: 'External analysis', value: analysisLink(sims.ata, FIXTURE_FILE_TASK), Tag: [INCOMPLETE] },
			{ type: 'link', category: 'External analysis', value: analysisLink(sims.ata, FIXTURE_URL_TASK), Tag: [INCOMPLETE] },
		],
	});
	const server = await N8nServer.start(instance, { env: ownerEnvironment(instance) });
	return {
		server,
		sims,
		close: async () => {
			await server.stop();
			await sims.close();
		},
	};
}

async function ensureChromium(): Promise<void> {
	if (existsSync(CHROMIUM)) return;
	console.log('Installing Debian chromium (apt-get)');
	await aptInstall(['chromium']);
}

async function launchBrowser(): Promise<Browser> {
	await ensureChromium();
	const { chromium } = await import('playwright-core');
	return await chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
}

/** A logged-in browser context in the given theme that can reach loopback only. */
async function editorContext(
	browser: Browser,
	server: N8nServer,
	theme: 'light' | 'dark',
): Promise<BrowserContext> {
	const context = await browser.newContext({
		viewport: { width: 1440, height: 900 },
		deviceScaleFactor: 1,
		colorScheme: theme,
	});
	await context.route('**/*', async (route) => {
		const { hostname, protocol } = new URL(route.request().url());
		const local = hostname === '127.0.0.1' || hostname === 'localhost';
		if (local || protocol === 'data:' || protocol === 'blob:') await route.continue();
		else await route.abort();
	});
	await context.addInitScript({ content: `localStorage.setItem('N8N_THEME', ${JSON.stringify(theme)});` });
	const page = await context.newPage();
	await page.goto(`${server.baseUrl}/signin`);
	await page.locator('input[name="emailOrLdapLoginId"]').fill(OWNER.email);
	await page.locator('input[name="password"]').fill(OWNER.password);
	await byTestId(page, 'form-submit-button').click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 30_000 });
	await page.close();
	return context;
}

/** n8n's editor marks elements with data-test-id (Playwright's getByTestId reads data-testid). */
function byTestId(page: Page, id: string) {
	return page.locator(`[data-test-id="${id}"]`);
}

async function shot(page: Page, name: string): Promise<void> {
	// Let transitions and lazy icons settle.
	await page.waitForTimeout(800);
	await page.screenshot({ path: join(DOCS, `${name}.png`) });
	console.log(`  docs/${name}.png`);
}

async function openWorkflow(page: Page, server: N8nServer, id: string): Promise<void> {
	await page.goto(`${server.baseUrl}/workflow/${id}`);
	await byTestId(page, 'canvas-node').first().waitFor();
	await byTestId(page, 'zoom-to-fit').click();
}

async function openNode(page: Page, name: string): Promise<void> {
	await byTestId(page, 'canvas-node').filter({ hasText: name }).first().dblclick();
	await byTestId(page, 'ndv').waitFor();
}

/** The node panel after searching "NSX ATA" and choosing the node: its actions. */
async function nodeActions(page: Page, server: N8nServer): Promise<void> {
	await openWorkflow(page, server, BUILDER_ID);
	await byTestId(page, 'node-creator-plus-button').click();
	await page.keyboard.type('NSX ATA');
	await byTestId(page, 'node-creator-item-name').filter({ hasText: /^NSX ATA$/ }).first().click();
	await page.getByText('Submit a file for analysis').waitFor();
	// The panel opens with the trigger section folded; unfold it so the picture shows both.
	await page.getByText(/^Triggers \(\d+\)/).click();
	await page.waitForTimeout(500); // the section unfolds with an animation
}

/**
 * Where n8n puts the NSX ATA node's Authentication choice: not in the node panel but in the dialog
 * that creates a credential from the node (its dropdown at the top).
 */
async function authenticationChoice(page: Page, server: N8nServer): Promise<void> {
	await openWorkflow(page, server, PLAYBOOKS[1].id);
	await openNode(page, 'Submit file');
	await byTestId(page, 'node-credentials-select').click();
	await byTestId(page, 'node-credentials-select-item-new').click();
	await byTestId(page, 'credential-edit-dialog').waitFor();
}

async function capture(browser: Browser, stage: Stage): Promise<void> {
	const { server } = stage;
	const light = await (await editorContext(browser, server, 'light')).newPage();
	await authenticationChoice(light, server);
	await shot(light, 'nsx-ata-authentication');
	if (args.has('--only=authentication')) return;
	for (const playbook of PLAYBOOKS) {
		await openWorkflow(light, server, playbook.id);
		await shot(light, `playbook-${playbook.file}`);
	}
	await nodeActions(light, server);
	await shot(light, 'nsx-ata-actions');

	await openWorkflow(light, server, PLAYBOOKS[1].id);
	await openNode(light, 'Submit file');
	await shot(light, 'nsx-ata-submit-file');

	await openWorkflow(light, server, PLAYBOOKS[4].id);
	await openNode(light, 'Submit to NSX ATA');
	await shot(light, 'nsx-ata-submit-misp-attribute');

	await openWorkflow(light, server, BUILDER_ID);
	await openNode(light, 'MISP Object Builder');
	await shot(light, 'misp-object-builder');

	await openWorkflow(light, server, SWEEP_RUN_ID);
	await byTestId(light, 'execute-workflow-button').click();
	await light.getByText('Workflow executed successfully').waitFor({ timeout: 120_000 });
	await openNode(light, 'NSX ATA Query');
	await byTestId(light, 'output-panel').locator('[data-test-id="radio-button-json"]').click();
	await shot(light, 'execution-misp-objects');

	const dark = await (await editorContext(browser, server, 'dark')).newPage();
	await openWorkflow(dark, server, PLAYBOOKS[0].id);
	await shot(dark, 'playbook-incomplete-sweep-dark');
	await nodeActions(dark, server);
	await shot(dark, 'nsx-ata-actions-dark');
	await openWorkflow(dark, server, BUILDER_ID);
	await openNode(dark, 'MISP Object Builder');
	await shot(dark, 'misp-object-builder-dark');
}

async function main(): Promise<number> {
	const work = mkdtempSync(join(tmpdir(), 'nsx-ata-shots-'));
	mkdirSync(DOCS, { recursive: true });
	const stage = await prepareStage(work);
	const browser = await launchBrowser();
	try {
		console.log(`Screenshots from n8n at ${stage.server.baseUrl}:`);
		await capture(browser, stage);
	} finally {
		await browser.close();
		await stage.close();
		if (!args.has('--keep')) rmSync(work, { recursive: true, force: true });
	}
	return 0;
}

exitWith(main);
