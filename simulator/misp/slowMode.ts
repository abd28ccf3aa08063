/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
import type { Socket } from 'node:net';

/**
 * A MISP that stores objects slowly behind Apache prefork (misp.md §10: ~12 objects/s, 150
 * workers, listen backlog 511). A request needs a worker; up to `backlog` more wait for one; beyond
 * that the connection is not accepted, and the client's kernel retries its SYN at 1, 3, 7, 15, 31
 * and 63 × `synRetryMs` (Linux: seconds) before giving up at 127 × — so a burst that does not wait
 * for answers leaves connections un-served until they time out.
 */
export interface SlowMode {
	/** Objects stored per second across all requests (the database is the bottleneck). */
	objectsPerSecond: number;
	/** Requests served at once. */
	workers: number;
	/** Requests waiting for a worker; more are left un-served. */
	backlog: number;
	/** The client's first SYN retry; default 1000 ms, so an un-served request fails after 127 s. */
	synRetryMs?: number;
}

/** The figures of the MISP 2.5.1 of misp.md §10. */
export const OBSERVED_SLOW_MODE: Required<SlowMode> = {
	objectsPerSecond: 12,
	workers: 150,
	backlog: 511,
	synRetryMs: 1000,
};

const SYN_RETRIES = [1, 3, 7, 15, 31, 63];
const SYN_GIVE_UP = 127;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Workers, backlog and the storage rate of one slow instance. */
export class SlowMisp {
	private busy = 0;
	private readonly waiting: Array<() => void> = [];
	private storageFreeAt = 0;
	/** Requests left un-served (given up on after the last SYN retry, or abandoned by the client). */
	unserved = 0;

	constructor(readonly config: SlowMode) {}

	private hasRoom(): boolean {
		return this.busy < this.config.workers || this.waiting.length < this.config.backlog;
	}

	private take(): Promise<void> {
		if (this.busy < this.config.workers) {
			this.busy += 1;
			return Promise.resolve();
		}
		return new Promise((resolve) => this.waiting.push(resolve));
	}

	/** Resolves with `release` once a worker serves the request, or undefined when it never will. */
	async admit(socket: Socket): Promise<(() => void) | undefined> {
		const retryMs = this.config.synRetryMs ?? OBSERVED_SLOW_MODE.synRetryMs;
		let elapsed = 0;
		for (const attempt of [0, ...SYN_RETRIES]) {
			if (attempt > 0) await sleep((attempt - elapsed) * retryMs);
			elapsed = attempt;
			if (socket.destroyed) break;
			if (this.hasRoom()) {
				await this.take();
				return () => this.release();
			}
		}
		if (!socket.destroyed) {
			await sleep((SYN_GIVE_UP - elapsed) * retryMs);
			socket.destroy();
		}
		this.unserved += 1;
		return undefined;
	}

	private release(): void {
		const next = this.waiting.shift();
		if (next) next();
		else this.busy -= 1;
	}

	/** Holds the worker while `objects` objects are written, at most `objectsPerSecond` overall. */
	async store(objects: number): Promise<void> {
		if (objects <= 0) return;
		const start = Math.max(Date.now(), this.storageFreeAt);
		this.storageFreeAt = start + (objects * 1000) / this.config.objectsPerSecond;
		await sleep(this.storageFreeAt - Date.now());
	}
}
