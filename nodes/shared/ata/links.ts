/**
 * Analysis links: `<portal>/portal#/analyst/task/<32 hex>/overview` (ata-api.md §6).
 * Parsing is strict because the old modules sent the portal password to whatever host a shared
 * link named: a link is accepted only when it points at the configured portal, in the exact
 * position the portal uses. The link's host is checked, never contacted.
 */
import { acceptedLinkHosts, safeForMessage } from './baseUrls';
import { AtaError } from './errors';

const TASK_UUID = /^[0-9a-f]{32}$/i;
const TASK_FRAGMENT = /^#\/analyst\/task\/([0-9a-f]{32})(?:\/overview)?\/?$/i;

export function isTaskUuid(value: string): boolean {
	return TASK_UUID.test(value);
}

export function buildAnalysisLink(portal: URL, taskUuid: string): string {
	if (!isTaskUuid(taskUuid)) throw linkError(`"${safeForMessage(taskUuid)}" is not a task uuid`);
	const path = portal.pathname.replace(/\/+$/, '');
	return `${portal.origin}${path}/portal#/analyst/task/${taskUuid.toLowerCase()}/overview`;
}

/**
 * The task uuid of an analysis link or of a bare task uuid, checked against the configured portal.
 * Throws an `AtaError` of kind `config` (no request is ever made for a refused link).
 */
export function taskUuidFromLink(input: string, portal: URL): string {
	const text = input.trim();
	if (isTaskUuid(text)) return text.toLowerCase();

	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw linkError(
			`"${safeForMessage(text)}" is neither an analysis link nor a 32-character task uuid`,
		);
	}
	if (url.username || url.password) {
		throw linkError('The analysis link contains a user name or password; it was not used');
	}
	// The host first: a link to another host is named as such, whatever its scheme.
	if (!acceptedLinkHosts(portal).has(url.host)) {
		throw linkError(
			`The analysis link points at ${safeForMessage(url.host)}, not at the configured portal ` +
				`${portal.host}; it was not used and no request was sent`,
		);
	}
	if (url.protocol !== portal.protocol) {
		throw linkError(
			`The analysis link uses ${url.protocol.replace(':', '')}, but the configured portal ` +
				`uses ${portal.protocol.replace(':', '')}; it was not used`,
		);
	}
	const portalPath = `${portal.pathname.replace(/\/+$/, '')}/portal`;
	const pathOk = url.pathname === portalPath || url.pathname === `${portalPath}/`;
	const fragment = TASK_FRAGMENT.exec(url.hash);
	if (!pathOk || url.search || !fragment) {
		throw linkError(
			'The analysis link does not have the form ' +
				`${portal.origin}${portalPath}#/analyst/task/<task uuid>/overview`,
		);
	}
	return fragment[1].toLowerCase();
}

function linkError(message: string): AtaError {
	return new AtaError(message, {
		kind: 'config',
		retry: 'never',
		hint: 'Use an analysis link from the configured portal, or the 32-character task uuid.',
	});
}
