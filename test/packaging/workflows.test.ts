/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
/**
 * The GitHub Actions workflows, read as GitHub reads them (YAML): CI runs the README's test command
 * on Node 20 and the real-n8n e2e; publishing happens only from a version tag, with provenance and
 * trusted publishing (OIDC), and with no long-lived npm token anywhere.
 * `yaml` is the parser already in node_modules (through @n8n/node-cli), not a new dependency.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { parse } from 'yaml';

const ROOT = resolve(__dirname, '..', '..');

interface Step {
	name?: string;
	uses?: string;
	run?: string;
	with?: Record<string, unknown>;
	env?: Record<string, unknown>;
}
interface Job {
	'runs-on': string;
	needs?: string | string[];
	permissions?: Record<string, string>;
	steps: Step[];
}
interface Workflow {
	on: Record<string, unknown>;
	permissions?: Record<string, string>;
	jobs: Record<string, Job>;
}

const read = (name: string) => readFileSync(join(ROOT, '.github', 'workflows', name), 'utf8');
const workflow = (name: string) => parse(read(name)) as Workflow;
const runs = (job: Job) => job.steps.flatMap((step) => (step.run ? step.run.split('\n').map((line) => line.trim()) : []));
const nodeVersion = (job: Job) => job.steps.find((step) => step.uses?.startsWith('actions/setup-node@'))?.with?.['node-version'];

describe('ci.yml', () => {
	const ci = workflow('ci.yml');

	it('runs on pull requests and on pushes to main', () => {
		expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push']);
		expect(ci.on.push).toEqual({ branches: ['main'] });
	});

	it("runs the README's set-up and test commands on Node 20", () => {
		const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
		const [, setup, test] = /^npm ci && npm run demo[^\n]*\n(npm ci) && (npm test)\b/m.exec(readme) ?? [];
		expect([setup, test]).toEqual(['npm ci', 'npm test']);
		const job = Object.values(ci.jobs).find((candidate) => runs(candidate).includes('npm test'));
		expect(job).toBeDefined();
		expect(String(nodeVersion(job!))).toBe('20');
		expect(runs(job!)).toEqual(['npm ci', 'npm test']);
	});

	it('runs the real-n8n e2e after the tests', () => {
		const [name, job] = Object.entries(ci.jobs).find(([, candidate]) => runs(candidate).includes('npm run e2e')) ?? [];
		expect(name).toBeDefined();
		expect([job!.needs].flat()).toContain('test');
		expect(runs(job!)[0]).toBe('npm ci');
	});

	it('holds no secrets and only reads the repository', () => {
		expect(read('ci.yml')).not.toMatch(/secrets\./);
		expect(ci.permissions).toEqual({ contents: 'read' });
	});
});

describe('publish.yml', () => {
	const publish = workflow('publish.yml');
	const [job] = Object.values(publish.jobs);

	it('runs only for a pushed version tag', () => {
		expect(publish.on).toEqual({ push: { tags: ['v*.*.*'] } });
		expect(runs(job).some((line) => line.includes('GITHUB_REF_NAME') && line.includes('package.json'))).toBe(true);
	});

	it('publishes with provenance through trusted publishing (OIDC), without a long-lived token', () => {
		expect(job.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
		expect(read('publish.yml')).not.toMatch(/secrets\.|NPM_TOKEN|NODE_AUTH_TOKEN|_authToken/);
		// Trusted publishing needs npm 11.5.1 or later, which ships with Node 24.
		expect(Number(nodeVersion(job))).toBeGreaterThanOrEqual(24);
		// No registry-url: setup-node would then write an .npmrc expecting NODE_AUTH_TOKEN.
		const setup = job.steps.find((step) => step.uses?.startsWith('actions/setup-node@'));
		expect(setup?.with?.['registry-url']).toBeUndefined();
	});

	it("tests, then publishes through @n8n/node-cli's release flow (lint, build, npm publish with provenance)", () => {
		const lines = runs(job);
		expect(lines.indexOf('npm test')).toBeGreaterThan(lines.indexOf('npm ci'));
		expect(lines.indexOf('npm run release')).toBeGreaterThan(lines.indexOf('npm test'));
		const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
		expect(manifest.scripts.release).toBe('n8n-node release');
		expect(lines.some((line) => /npm publish/.test(line))).toBe(false);
	});
});
