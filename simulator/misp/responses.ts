/** What a route handler answers; the server serialises it. */
export interface Reply {
	status: number;
	body: unknown;
	headers?: Record<string, string>;
	/** PHP's default json_encode flags (escaped slashes, \u escapes), as MISP's exception renderer uses. */
	phpEncoding?: boolean;
}

/** PHP `htmlspecialchars(…, ENT_QUOTES)`, i.e. CakePHP's `h()`. */
export function escapeHtml(text: string): string {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&#039;');
}

/** `json_encode` with PHP's default flags: `/` → `\/`, non-ASCII → `\uXXXX`. */
export function phpJsonEncode(value: unknown): string {
	return JSON.stringify(value)
		.replace(/\//g, '\\/')
		.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A thrown CakePHP exception: shape (a) of misp.md §1.2. */
export class MispException extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly headers?: Record<string, string>,
	) {
		super(message);
	}
}

export function exceptionReply(
	status: number,
	message: string,
	url: string,
	headers?: Record<string, string>,
): Reply {
	const text = escapeHtml(message);
	return { status, body: { name: text, message: text, url }, headers, phpEncoding: true };
}

/** `RestResponseComponent::saveFailResponse`: shape (b), always 403 (misp.md §1.2). */
export function saveFailReply(name: string, url: string, errors: unknown, id?: string): Reply {
	const body: Record<string, unknown> = { saved: false, name, message: name, url, errors };
	if (id !== undefined) body.id = id;
	return { status: 403, body };
}

/** `RestResponseComponent::saveSuccessResponse`: 200 with the message as `name` and `message`. */
export function saveSuccessReply(message: string, url: string, id?: string): Reply {
	const body: Record<string, unknown> = { saved: true, success: true, name: message, message, url };
	if (id !== undefined) body.id = id;
	return { status: 200, body };
}

export function ok(body: unknown, headers?: Record<string, string>): Reply {
	return { status: 200, body, headers };
}

export const AUTH_FAILED =
	'Authentication failed. Please make sure you pass the API key of an API enabled user along in the Authorization header.';
export const NO_PERMISSION = 'You do not have permission to do that.';
/** ACLComponent's refusal when the role lacks the permission an action needs. */
export const ACL_REFUSED = 'You do not have permission to use this functionality.';
