/* eslint-disable @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
/**
 * What the ATA contract suites talk to: by default a simulator they start, or a real Analyst API /
 * Portal when ATA_ANALYST_URL is set (with ATA_KEY, ATA_TOKEN, and for the portal ATA_PORTAL_URL,
 * ATA_USER, ATA_PASSWORD). Assertions that only hold on the simulator (its request log, injected
 * faults, seeded tasks, its clock, its fixture tasks) use `simulatorOnly` and are skipped against
 * a real service; `submits` marks assertions that create analyses (they need write access, and
 * ATA_READ_ONLY=1 skips them). Nothing is ever deleted: the API has no call for it.
 */
import { startAtaSimulator, type AtaSimulator, type AtaSimulatorOptions } from '../../../simulator/ata';

const env = process.env;

/** True when the suites face a real service instead of the simulator. */
const REAL_SERVICE = (env.ATA_ANALYST_URL ?? '') !== '';

/** An assertion about the simulator itself, or one that needs its control surface. */
export const simulatorOnly: jest.It = REAL_SERVICE ? it.skip : it;

/** An assertion that submits new analyses (write access on a real service). */
export const submits: jest.It = REAL_SERVICE && env.ATA_READ_ONLY === '1' ? it.skip : it;

/**
 * A real service seen through the simulator's interface: base URLs and credentials only. Resetting
 * deletes nothing; every control member throws, so a test that reaches one was not marked
 * `simulatorOnly`.
 */
function realService(): AtaSimulator {
	const analystUrl = (env.ATA_ANALYST_URL ?? '').replace(/\/+$/, '');
	const unavailable = (member: string) => (): never => {
		throw new Error(`${member} exists only on the simulator: mark the test simulatorOnly`);
	};
	return {
		url: analystUrl,
		portalUrl: (env.ATA_PORTAL_URL ?? analystUrl).replace(/\/+$/, ''),
		credentials: {
			analyst: { key: env.ATA_KEY ?? '', apiToken: env.ATA_TOKEN ?? '' },
			portal: { username: env.ATA_USER ?? '', password: env.ATA_PASSWORD ?? '' },
		},
		seed: 0,
		get requests(): never {
			return unavailable('requests')();
		},
		get submissions(): never {
			return unavailable('submissions')();
		},
		submissionCount: unavailable('submissionCount'),
		requestsWithCredentialsInUrl: unavailable('requestsWithCredentialsInUrl'),
		injectFault: unavailable('injectFault'),
		clearFaults: unavailable('clearFaults'),
		addTask: unavailable('addTask'),
		completeTask: unavailable('completeTask'),
		taskState: unavailable('taskState'),
		expireSessions: unavailable('expireSessions'),
		reset: () => undefined,
		close: () => Promise.resolve(),
	};
}

/** The simulator with these options, or the real service named by the environment. */
export async function startTarget(options: AtaSimulatorOptions = {}): Promise<AtaSimulator> {
	return REAL_SERVICE ? realService() : await startAtaSimulator(options);
}

/** A suite about the simulator's own controls (faults, TLS, CLI): skipped against a real service. */
export const describeSimulator: jest.Describe = REAL_SERVICE ? describe.skip : describe;
