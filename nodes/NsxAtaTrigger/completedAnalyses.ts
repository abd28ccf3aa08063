/**
 * The trigger's memory and its walk over the completed-analyses cursor (ata-api.md §7): every page
 * is followed within one poll, and the cursor plus a bounded list of recently emitted task uuids
 * live in the workflow's static data, which n8n saves only after a successful poll. A poll that
 * fails therefore emits nothing and leaves the cursor where it was: nothing is lost or repeated.
 */
import type { IDataObject } from 'n8n-workflow';

import type { AnalystApiClient } from '../shared/ata/analystApi';

/** How many emitted task uuids are remembered to guard against a cursor that repeats its edge. */
const RECENT_LIMIT = 2000;
/** Pages followed in one poll at most; the rest waits for the next poll (the cursor keeps it). */
const MAX_PAGES_PER_POLL = 50;

export interface TriggerMemory {
	cursor?: string;
	recent?: string[];
}

export interface CompletedTask {
	taskUuid: string;
	score?: number;
}

export function readMemory(staticData: IDataObject): TriggerMemory {
	return {
		cursor: typeof staticData.cursor === 'string' ? staticData.cursor : undefined,
		recent: Array.isArray(staticData.recent) ? (staticData.recent as string[]) : [],
	};
}

export function writeMemory(staticData: IDataObject, memory: TriggerMemory): void {
	staticData.cursor = memory.cursor;
	staticData.recent = (memory.recent ?? []).slice(-RECENT_LIMIT);
}

/** Tasks completed since the remembered cursor, each once, and the memory to keep afterwards. */
export async function newlyCompleted(
	client: AnalystApiClient,
	memory: TriggerMemory,
	deadline = Infinity,
): Promise<{ tasks: CompletedTask[]; memory: TriggerMemory }> {
	if (!memory.cursor) {
		// First activation: start from now rather than replaying the account's whole history.
		return { tasks: [], memory: { cursor: await client.serverTime(), recent: [] } };
	}
	const recent = new Set(memory.recent);
	const tasks: CompletedTask[] = [];
	let cursor = memory.cursor;
	// Stops at the page cap or the poll's deadline: what is read so far is emitted, the rest waits.
	for (let page = 0; page < MAX_PAGES_PER_POLL && Date.now() < deadline; page++) {
		const result = await client.getCompleted(cursor);
		for (const task of result.tasks) {
			if (recent.has(task.taskUuid)) continue;
			recent.add(task.taskUuid);
			tasks.push(task);
		}
		cursor = result.next;
		if (!result.moreResultsAvailable || result.tasks.length === 0) break;
	}
	return { tasks, memory: { cursor, recent: [...recent] } };
}

/** `YYYY-MM-DD HH:MM:SS` a number of hours before the given ATA time. */
export function hoursBefore(ataTime: string, hours: number): string {
	const parsed = Date.parse(`${ataTime.replace(' ', 'T').slice(0, 19)}Z`);
	if (Number.isNaN(parsed)) return ataTime;
	return new Date(parsed - hours * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}
