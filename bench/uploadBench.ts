/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- development-only code, never shipped in dist/ */
/**
 * Bench 4: a 100 MB sample through Submit File in n8n's engine against the same bytes posted by a
 * bare undici client. Each case runs in its own child process (bench/uploadCase.ts); the simulator
 * runs here, so its own buffering is not counted. Cases alternate and repeat; medians are reported.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';

import { startAtaSimulator } from '../simulator/ata';
import { median } from './median';

const MB = 1024 * 1024;

interface CaseResult {
	mode: string;
	size: number;
	baseline: number;
	peak: number;
	ms: number;
}

export interface UploadFigures {
	megabytes: number;
	engine: { rssGrowthMb: number; growthPerFileSize: number; seconds: number };
	undici: { rssGrowthMb: number; growthPerFileSize: number; seconds: number };
	timeRatio: number;
}

function runCase(mode: 'engine' | 'undici', url: string, megabytes: number, key: string, token: string): Promise<CaseResult> {
	return new Promise((resolve, reject) =>
		execFile(
			process.execPath,
			['--expose-gc', '-r', 'ts-node/register/transpile-only', join(__dirname, 'uploadCase.ts'), mode, url, String(megabytes)],
			{ env: { ...process.env, ATA_KEY: key, ATA_TOKEN: token }, maxBuffer: 1 << 20 },
			(error, stdout, stderr) => {
				const line = stdout.trim().split('\n').pop() ?? '';
				if (error || !line.startsWith('{')) reject(new Error(`upload case ${mode} failed: ${stderr.slice(0, 500)}`));
				else resolve(JSON.parse(line) as CaseResult);
			},
		),
	);
}

export async function uploadBench(megabytes: number, repeats: number, log: (line: string) => void): Promise<UploadFigures> {
	const sim = await startAtaSimulator({ reportSizeBytes: 2000, seed: 1 });
	const { key, apiToken } = sim.credentials.analyst;
	const cases: Record<'engine' | 'undici', CaseResult[]> = { engine: [], undici: [] };
	try {
		for (let i = 0; i < repeats; i++) {
			for (const mode of ['undici', 'engine'] as const) {
				const result = await runCase(mode, sim.url, megabytes, key, apiToken);
				log(`  ${mode}: +${((result.peak - result.baseline) / MB).toFixed(0)} MB RSS, ${(result.ms / 1000).toFixed(2)} s`);
				cases[mode].push(result);
				sim.reset();
			}
		}
	} finally {
		await sim.close();
	}
	const summary = (results: CaseResult[]) => {
		const growth = median(results.map((r) => r.peak - r.baseline));
		return { rssGrowthMb: growth / MB, growthPerFileSize: growth / (megabytes * MB), seconds: median(results.map((r) => r.ms)) / 1000 };
	};
	const engine = summary(cases.engine);
	const undici = summary(cases.undici);
	return { megabytes, engine, undici, timeRatio: engine.seconds / undici.seconds };
}
