/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- development-only code, never shipped in dist/ */
/**
 * `npm run e2e`: the package inside a real n8n (version pinned in versions.ts).
 *
 * 1. Node 24 + n8n from the e2e cache (installed on first use).
 * 2. `npm pack` (its `prepack` builds dist/); the tarball is loaded both as a custom extension
 *    (types `CUSTOM.<name>`) and as a community package installed by the README's route,
 *    `npm install <tarball> --legacy-peer-deps` in `~/.n8n/nodes` (types `n8n-nodes-nsx-ata.<name>`);
 *    a `--require` hook records which n8n-workflow the package's code loads: only n8n's own.
 * 3. Per load mode: credentials and the incomplete-sweep playbook imported with n8n's CLI and run
 *    with `n8n execute`, asserted on the MISP simulator's state.
 * 4. `n8n start` (community package): owner from env, API key, the webhook, form and trigger
 *    playbooks activated and driven over HTTP.
 *
 * Flags: --keep (keep the temporary folder), --skip-build (use dist/ as it is),
 * --only=custom|community. Exit code 1 when any check fails; the last line is the tally.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startAtaSimulator } from '../../simulator/ata';
import { Checks, exitWith } from './checks';
import { e2eCredentials, startSimulators } from './context';
import { ensureN8n } from './install';
import { N8nInstance } from './n8nCli';
import {
	buildAndPack,
	customExtensionDir,
	installAsCommunityPackage,
	recordCommunityPackage,
	tracedN8nWorkflowLoads,
	writeModuleTrace,
} from './packaging';
import { type LoadMode, typePrefix } from './playbooks';
import { customApiCallScenario, importSweep, sweepScenario, unprefixedScenario } from './scenarios';
import { serverScenarios } from './serverScenarios';
import { submitTaggedScenario } from './submissionScenarios';
import { leakedSecrets } from './secrets';
import { N8N_VERSION } from './versions';

const args = new Set(process.argv.slice(2));

/** The logs n8n wrote in a user folder (not the credentials import file, which holds them). */
function logFiles(userFolder: string): string[] {
	return readdirSync(userFolder)
		.filter((name) => name.endsWith('.log'))
		.map((name) => readFileSync(join(userFolder, name), 'utf8'));
}
const only = [...args].find((arg) => arg.startsWith('--only='))?.slice('--only='.length);

async function main(): Promise<number> {
	const started = Date.now();
	const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
	const checks = new Checks();
	const work = mkdtempSync(join(tmpdir(), 'nsx-ata-e2e-'));
	console.log(`n8n e2e (n8n ${N8N_VERSION}), work folder ${work}`);

	const install = await ensureN8n((line) => console.log(line));
	console.log(`[${elapsed()}] n8n ready`);
	const pkg = await buildAndPack(join(work, 'pack'), args.has('--skip-build'));
	console.log(`[${elapsed()}] packed ${pkg.manifest.name}@${pkg.manifest.version}: ` +
		pkg.nodeTypes.map((node) => node.name).join(', '));

	const trace = writeModuleTrace(work, pkg.manifest.name);
	const sims = await startSimulators();
	const foreign = await startAtaSimulator();
	const modes: LoadMode[] = only ? [only as LoadMode] : ['custom', 'community'];
	try {
		for (const mode of modes) {
			console.log(`\n[${elapsed()}] ${mode} mode (node types ${typePrefix(mode)}.*)`);
			const instance = new N8nInstance(install, {
				userFolder: join(work, mode),
				customExtensions: mode === 'custom' ? [customExtensionDir(pkg)] : undefined,
				env: mode === 'community' ? { NODE_OPTIONS: `--require ${trace.hook}` } : undefined,
			});
			const ready = await checks.check(`${mode}: import credentials and the sweep playbook`, async () => {
				if (mode === 'community') await installAsCommunityPackage(pkg, instance);
				await instance.importCredentials(e2eCredentials(sims));
				await importSweep(instance, mode, sims.misp.url);
				if (mode === 'community') await recordCommunityPackage(pkg, instance);
			});
			if (ready) {
				await checks.check(`${mode}: incomplete sweep via n8n execute (stock MISP + HTTP Request/mispApi)`, () =>
					sweepScenario(instance, sims, foreign),
				);
			}
			if (ready && mode === 'community') {
				await checks.check('community: HTTP Request node with the NSX ATA credential calls an endpoint the node does not cover', () =>
					customApiCallScenario(instance, sims.ata),
				);
			}
			if (ready) {
				await checks.check(`${mode}: submit tagged samples via n8n execute (MISP attachments → Submit from MISP Attribute)`, () =>
					submitTaggedScenario(instance, sims, mode),
				);
			}
			if (ready && mode === 'custom') {
				await checks.check('custom: node types are CUSTOM.*, the package prefix is unknown', () =>
					unprefixedScenario(instance, sims.misp.url),
				);
			}
			sims.ata.reset();
			sims.misp.reset();
			if (mode === 'community' && ready) {
				console.log(`\n[${elapsed()}] n8n start (community package)`);
				// New analyses finish 300 ms after submission here, as in the in-process tests.
				const serverSims = await startSimulators({ completeAfterMs: 300 });
				try {
					await serverScenarios(instance, serverSims, checks, pkg);
				} finally {
					await serverSims.close();
				}
				await checks.check('community: the nodes loaded only n8n\'s own n8n-workflow', () => {
					const loads = tracedN8nWorkflowLoads(trace.log);
					assert.ok(loads.length > 0, 'the package never loaded n8n-workflow (hook not active?)');
					const own = join(instance.install.appDir, 'node_modules') + '/';
					assert.deepEqual(loads.filter((file) => !file.startsWith(own)), []);
				});
			}
		}
		await checks.check('no secret in n8n logs, CLI output or simulator request URLs', () => {
			const texts = modes.flatMap((mode) => logFiles(join(work, mode)));
			texts.push(...sims.ata.requests.map((request) => request.path));
			texts.push(...sims.misp.requests.map((request) => request.path));
			assert.deepEqual(texts.flatMap(leakedSecrets), []);
		});
	} finally {
		await Promise.all([sims.close(), foreign.close()]);
		if (args.has('--keep')) console.log(`kept ${work}`);
		else rmSync(work, { recursive: true, force: true });
	}
	console.log(`\n[${elapsed()}] e2e finished`);
	return checks.report();
}

exitWith(main);
