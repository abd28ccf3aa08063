import { FIXTURE_FILE_TASK, FIXTURE_URL_TASK } from '../ata/taskStore';
import type { MispSimulator } from './index';

export const DEMO_EVENT_INFO = 'Demo: suspicious e-mail campaign';
export const INCOMPLETE = 'workflow:state="incomplete"';

export interface DemoSeedOptions {
	/** The ATA portal the analysis links point to (default: the ATA simulator's default port). */
	portalUrl?: string;
	/** A task still running on the ATA side (the demo adds one), linked as well when given. */
	pendingTask?: string;
}

/** An analysis link as the ATA portal shows it. */
export function analysisLink(portalUrl: string, taskUuid: string): string {
	return `${portalUrl}/portal#/analyst/task/${taskUuid}/overview`;
}

/**
 * The demo's MISP state (`npm run demo`, `npm run misp-simulator -- --seed demo`): one event whose
 * analysis links are tagged incomplete — the ATA simulator's two fixture tasks, an optional pending
 * one, and a link to a look-alike portal that the sweep must not follow.
 */
export function seedDemo(
	misp: MispSimulator,
	options: DemoSeedOptions = {},
): { id: string; uuid: string; links: number } {
	const portal = options.portalUrl ?? 'http://127.0.0.1:8123';
	const tasks = [FIXTURE_FILE_TASK, FIXTURE_URL_TASK, options.pendingTask].filter(
		(task): task is string => task !== undefined,
	);
	const links = [
		...tasks.map((task) => analysisLink(portal, task)),
		analysisLink('http://user.lastline.com.evil.example', FIXTURE_FILE_TASK),
	];
	const event = misp.createEvent({
		info: DEMO_EVENT_INFO,
		Attribute: links.map((value) => ({
			type: 'link',
			category: 'External analysis',
			value,
			Tag: [INCOMPLETE],
		})),
	});
	return { id: event.id, uuid: event.uuid, links: links.length };
}
