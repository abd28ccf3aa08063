/**
 * Waits for many analyses with one poll per interval: the Analyst API's completed-analyses cursor
 * (ata-api.md §7) reports every finished task of the account, so N waiting items cost about one
 * call per interval instead of N. The Portal API has no such cursor; `waitByPolling` covers it.
 */
import type { AnalystApiClient } from './analystApi';
import { pause } from './retry';
import type { ResultSource } from './n8nClients';

/** Pages read in one poll at most: an endless cursor cannot keep the watcher busy. */
export const MAX_PAGES_PER_POLL = 50;
/** Completed task uuids remembered for items that start waiting later; the oldest are forgotten. */
export const MAX_REMEMBERED = 10_000;

interface Waiter {
	taskUuid: string;
	deadline: number;
	resolve: (completed: boolean) => void;
	reject: (error: unknown) => void;
}

export class CompletionWatcher {
	private cursor?: Promise<string>;
	private readonly completed = new Set<string>();
	private readonly waiters = new Set<Waiter>();
	private loop?: Promise<void>;

	constructor(
		private readonly client: AnalystApiClient,
		private readonly intervalMs: number,
		private readonly signal?: AbortSignal,
	) {}

	/**
	 * Fixes the cursor at the server's clock. Call it before the submissions or progress checks whose
	 * completion will be awaited, so that nothing finishing in between is missed.
	 */
	async start(): Promise<void> {
		this.cursor ??= this.client.serverTime().then(oneSecondEarlier);
		await this.cursor;
	}

	/** Resolves true when the task completes, false when `deadline` (epoch ms) passes first. */
	async waitFor(taskUuid: string, deadline: number): Promise<boolean> {
		await this.start();
		if (this.completed.has(taskUuid)) return true;
		const done = new Promise<boolean>((resolve, reject) =>
			this.waiters.add({ taskUuid, deadline, resolve, reject }),
		);
		this.loop ??= this.run().finally(() => (this.loop = undefined));
		return await done;
	}

	private async run(): Promise<void> {
		try {
			while (this.waiters.size > 0) {
				await this.pollAllPages();
				this.settle();
				if (this.waiters.size === 0) break;
				const nearest = Math.min(...[...this.waiters].map((w) => w.deadline));
				await pause(Math.max(0, Math.min(this.intervalMs, nearest - Date.now())), this.signal);
				this.settle();
			}
		} catch (error) {
			// A failed poll (after the client's own retries) fails every waiter; each item reports it.
			for (const waiter of this.waiters) waiter.reject(error);
			this.waiters.clear();
		}
	}

	/**
	 * Reads the cursor's pages, at most `MAX_PAGES_PER_POLL`, stopping early once every waiter's
	 * deadline has passed; the cursor keeps the rest for the next poll.
	 */
	private async pollAllPages(): Promise<void> {
		let after = await this.cursor!;
		const latest = Math.max(...[...this.waiters].map((w) => w.deadline));
		for (let page = 0; page < MAX_PAGES_PER_POLL && Date.now() < latest; page++) {
			const result = await this.client.getCompleted(after);
			for (const task of result.tasks) this.remember(task.taskUuid);
			after = result.next;
			this.cursor = Promise.resolve(after);
			if (!result.moreResultsAvailable || result.tasks.length === 0) return;
		}
	}

	/**
	 * A forgotten completion only makes a late waiter time out as incomplete (the sweep picks it up),
	 * so the set can be bounded safely.
	 */
	private remember(taskUuid: string): void {
		this.completed.delete(taskUuid);
		this.completed.add(taskUuid);
		if (this.completed.size > MAX_REMEMBERED) {
			const oldest = this.completed.values().next().value as string;
			this.completed.delete(oldest);
		}
	}

	private settle(): void {
		const now = Date.now();
		for (const waiter of this.waiters) {
			if (this.completed.has(waiter.taskUuid)) waiter.resolve(true);
			else if (now >= waiter.deadline) waiter.resolve(false);
			else continue;
			this.waiters.delete(waiter);
		}
	}
}

/** Per-task polling of `get_progress`, for the Portal API. */
export async function waitByPolling(
	results: ResultSource,
	taskUuid: string,
	deadline: number,
	intervalMs: number,
	signal?: AbortSignal,
): Promise<boolean> {
	for (;;) {
		if ((await results.getProgress(taskUuid)).complete) return true;
		const remaining = deadline - Date.now();
		if (remaining <= 0) return false;
		await pause(Math.min(intervalMs, remaining), signal);
	}
}

/** `YYYY-MM-DD HH:MM:SS` one second earlier, so a completion in the same second is not missed. */
function oneSecondEarlier(serverTime: string): string {
	const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(serverTime);
	if (!match) return serverTime;
	const [, y, mo, d, h, mi, s] = match.map(Number);
	const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s) - 1000);
	return date.toISOString().slice(0, 19).replace('T', ' ');
}
