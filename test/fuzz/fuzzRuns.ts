/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
/**
 * Run counts of the property suites: FUZZ_RUNS per property (default 300 in the normal test run;
 * `npm run fuzz` sets 10,000 or more), FUZZ_SEED to replay a reported failure. Failing inputs
 * found so far live in regressions.json and are replayed as explicit cases on every run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Parameters } from 'fast-check';

export const FUZZ_RUNS = Math.max(10, Number(process.env.FUZZ_RUNS ?? 300) || 300);

export function fuzzParameters<T>(): Parameters<T> {
	const seed = Number(process.env.FUZZ_SEED);
	return { numRuns: FUZZ_RUNS, ...(Number.isFinite(seed) && process.env.FUZZ_SEED ? { seed } : {}) };
}

export interface Regressions {
	links: Array<{ input: string; accepted: boolean; portal: string; note: string }>;
	envelopes: Array<{ status: number; headers: Record<string, string>; body: string; note: string }>;
	objects: Array<{ object: unknown; note: string }>;
}

export const REGRESSIONS = JSON.parse(readFileSync(join(__dirname, 'regressions.json'), 'utf8')) as Regressions;
