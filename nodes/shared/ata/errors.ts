/**
 * Every failure of an ATA call becomes an `AtaError`: the ATA error code (when the service sent one),
 * the HTTP status, a message that says what to do, and how a retry would behave.
 * Messages are built from fixed texts and the service's own error text, never from request data,
 * so they cannot carry a key, token, password or session cookie.
 */

/** How a failed request may be retried. */
export type RetryClass =
	/** The service refused the request before doing anything (429, 503, 107, refused connection). */
	| 'safe'
	/** The outcome is unknown (reset, timeout, 5xx, broken body): retry only if repeating is harmless. */
	| 'ifIdempotent'
	/** The session expired: log in again, then repeat once. */
	| 'relogin'
	/** Retrying cannot help (bad input, bad credentials, quota, TLS). */
	| 'never';

export type AtaErrorKind =
	| 'api' // the service answered with an error envelope
	| 'http' // an HTTP error status without a usable envelope
	| 'protocol' // the answer is not what the API returns (HTML page, broken JSON, missing fields)
	| 'network' // the connection failed (refused, reset, DNS)
	| 'timeout'
	| 'tls'
	| 'cancelled'
	| 'config'; // the request was never sent: bad URL, foreign host, bad input

export interface AtaErrorDetails {
	kind: AtaErrorKind;
	code?: number;
	httpStatus?: number;
	retry?: RetryClass;
	retryAfterMs?: number;
	/** What the user should do about it. */
	hint?: string;
	/** The ATA call that failed, e.g. `analysis/submit/file` (never a URL with a query). */
	endpoint?: string;
}

export class AtaError extends Error {
	readonly kind: AtaErrorKind;
	readonly code?: number;
	readonly httpStatus?: number;
	readonly retry: RetryClass;
	readonly retryAfterMs?: number;
	readonly hint?: string;
	readonly endpoint?: string;

	constructor(message: string, details: AtaErrorDetails) {
		super(message);
		this.name = 'AtaError';
		this.kind = details.kind;
		this.code = details.code;
		this.httpStatus = details.httpStatus;
		this.retry = details.retry ?? 'never';
		this.retryAfterMs = details.retryAfterMs;
		this.hint = details.hint;
		this.endpoint = details.endpoint;
	}

	/** The analysis exists but has no result yet (106, or HTTP 412 on `analysis/get`). */
	get isNotReady(): boolean {
		return this.code === ATA_ERROR.NO_RESULT_FOUND;
	}
}

/** Analyst API error codes (ata-api.md §3.2) the project reacts to. */
export const ATA_ERROR = {
	FILE_NOT_AVAILABLE: 101,
	INVALID_CREDENTIALS: 104,
	INVALID_UUID: 105,
	NO_RESULT_FOUND: 106,
	TEMPORARILY_UNAVAILABLE: 107,
	PERMISSION_DENIED: 108,
	FILE_TOO_LARGE: 109,
	INVALID_FILE_TYPE: 113,
	SUBMISSION_LIMIT_EXCEEDED: 115,
	INVALID_HASH_ALGORITHM: 116,
	INVALID_URL: 117,
	AUTHENTICATION_REQUIRED: 122,
	DATA_NO_LONGER_AVAILABLE: 123,
	PORTAL_AUTHENTICATION: 3004,
} as const;

interface CodeAdvice {
	retry: RetryClass;
	hint: string;
}

const CODE_ADVICE: Record<number, CodeAdvice> = {
	101: { retry: 'never', hint: 'The service has never seen this file; submit the file itself.' },
	104: { retry: 'never', hint: 'Check the API key and API token in the NSX ATA Analyst API credential.' },
	105: { retry: 'never', hint: 'Check the task uuid or analysis link: the service does not know it.' },
	106: { retry: 'never', hint: 'The analysis is still running; query it again later.' },
	107: { retry: 'safe', hint: 'The service is temporarily unavailable; try again in a few minutes.' },
	108: { retry: 'never', hint: 'The account lacks permission for this action; ask the ATA administrator.' },
	109: { retry: 'never', hint: 'The file exceeds the size the service accepts.' },
	113: { retry: 'never', hint: 'The service does not analyse this file type.' },
	115: {
		retry: 'never',
		hint: 'The submission quota of this account is reached; wait for it to reset or raise the quota.',
	},
	116: { retry: 'never', hint: 'Use an md5, sha1 or sha256 hash.' },
	117: { retry: 'never', hint: 'Check the URL: the service rejected it.' },
	122: { retry: 'relogin', hint: 'The session expired; the node logs in again automatically.' },
	123: { retry: 'never', hint: 'The analysis data has expired on the service.' },
	3004: { retry: 'never', hint: 'Check the username and password in the NSX ATA Portal credential.' },
};

/** Advice for an ATA error code from an error envelope. */
export function adviceForCode(code: number | undefined): CodeAdvice {
	return (code !== undefined && CODE_ADVICE[code]) || { retry: 'never', hint: 'See the ATA error text.' };
}

/**
 * Advice for an HTTP error status that came with no ATA envelope at all (a gateway's page): a 503
 * from a proxy or load balancer may follow a request it already forwarded, so its outcome is unknown.
 * Only ATA's own envelope or a refused connection proves that nothing happened.
 */
export function adviceForGatewayStatus(status: number): CodeAdvice {
	if (status === 503) {
		return {
			retry: 'ifIdempotent',
			hint: 'A gateway in front of ATA is unavailable, and the request may have reached ATA; try again later.',
		};
	}
	return adviceForStatus(status);
}

/** Advice for an HTTP error status that came with ATA's error envelope but without an error code. */
export function adviceForStatus(status: number): CodeAdvice {
	if (status === 401) return { retry: 'relogin', hint: 'The session is not accepted; logging in again.' };
	if (status === 403) return { retry: 'never', hint: 'The account lacks permission for this action.' };
	if (status === 404) return { retry: 'never', hint: 'Check the base URL in the credential.' };
	if (status === 429) return { retry: 'safe', hint: 'The service rate-limits this account; slow down.' };
	if (status === 503) return { retry: 'safe', hint: 'The service is unavailable; try again later.' };
	if (status >= 500) return { retry: 'ifIdempotent', hint: 'The service failed; try again later.' };
	return { retry: 'never', hint: 'The service rejected the request.' };
}
