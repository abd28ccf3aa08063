/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- development-only code, never shipped in dist/ */
/**
 * One large-upload measurement in its own process (started by bench/run.ts with --expose-gc), so
 * memory figures of one case never pollute another. Usage:
 *   uploadCase.ts <engine|undici> <ATA simulator URL> <MB>   (ATA_KEY / ATA_TOKEN in the environment)
 * engine: Submit File in n8n's engine with the sample already in the binary store (as a webhook
 * leaves it); undici: the same bytes posted as one multipart request by a bare HTTP client.
 * Prints one JSON line: the RSS before the measured step, its sampled peak, and the wall time.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';

import { request } from 'undici';

import { runWorkflow } from '../dev/engine';
import { storeInlineBinaries } from '../dev/engine/additionalData';
import type { INodeExecutionData } from 'n8n-workflow';
import { submitFileWorkflow, analystCredentials } from './benchWorkflows';

const [mode, simUrl, megabytes] = process.argv.slice(2);
const size = Number(megabytes) * 1024 * 1024;
const key = process.env.ATA_KEY ?? '';
const token = process.env.ATA_TOKEN ?? '';

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

/** Samples RSS every millisecond while `step` runs; the kernel's peak RSS covers blocked stretches. */
async function measure(step: () => Promise<void>): Promise<{ baseline: number; peak: number; ms: number }> {
	gc();
	gc();
	const baseline = process.memoryUsage.rss();
	const maxBefore = process.resourceUsage().maxRSS * 1024;
	let peak = baseline;
	const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 1);
	const started = performance.now();
	await step();
	const ms = performance.now() - started;
	clearInterval(sampler);
	const maxAfter = process.resourceUsage().maxRSS * 1024;
	if (maxAfter > maxBefore) peak = Math.max(peak, maxAfter);
	return { baseline, peak, ms };
}

function fileItem(content: Buffer, name: string): INodeExecutionData {
	return { json: {}, binary: { data: { data: content.toString('base64'), mimeType: 'application/octet-stream', fileName: name } } };
}

async function engineCase(): Promise<void> {
	const credentials = analystCredentials(simUrl, key, token);
	// Warm-up: the engine, the node and a session are loaded before anything is measured.
	await runWorkflow(submitFileWorkflow({}), { triggerItems: [fileItem(randomBytes(1024), 'warm.bin')], credentials });
	const [stored] = await storeInlineBinaries([fileItem(randomBytes(size), 'large.bin')], 'bench', 'bench-upload');
	const figures = await measure(async () => {
		const result = await runWorkflow(submitFileWorkflow({}), { triggerItems: [stored], credentials });
		const json = result.output('NSX ATA')[0]?.json;
		if (!json || json.error || (json.submitted as { size?: number })?.size !== size) {
			throw new Error(`upload failed: ${JSON.stringify(json ?? result.error?.message).slice(0, 300)}`);
		}
	});
	console.log(JSON.stringify({ mode, size, ...figures }));
}

async function undiciCase(): Promise<void> {
	const content = randomBytes(size);
	const boundary = `----bench${randomBytes(8).toString('hex')}`;
	const head = Buffer.from(
		`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="large.bin"\r\n` +
			'Content-Type: application/octet-stream\r\n\r\n',
	);
	const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
	// Log in first (also warms the connection), so the upload is processed as the node's is.
	const login = await request(`${simUrl}/authentication/login.json`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ key, api_token: token }).toString(),
	});
	await login.body.arrayBuffer();
	const cookie = [login.headers['set-cookie'] ?? []].flat().map((line) => line.split(';')[0]).join('; ');
	const figures = await measure(async () => {
		const response = await request(`${simUrl}/analysis/submit/file.json`, {
			method: 'POST',
			headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie },
			body: Buffer.concat([head, content, tail]),
		});
		await response.body.arrayBuffer();
	});
	console.log(JSON.stringify({ mode, size, ...figures }));
}

(mode === 'engine' ? engineCase() : undiciCase()).then(
	() => process.exit(0),
	(error: unknown) => {
		console.error(error instanceof Error ? error.message : String(error));
		process.exit(1);
	},
);
