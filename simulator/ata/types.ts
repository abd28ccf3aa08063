/** Public types of the ATA simulator (re-exported by index.ts). */

export interface AnalystCredentials {
	key: string;
	apiToken: string;
}

export interface PortalCredentials {
	username: string;
	password: string;
}

export interface AtaSimulatorOptions {
	/** 0 = a free port (default). The server always binds 127.0.0.1. */
	port?: number;
	analyst?: AnalystCredentials;
	portal?: PortalCredentials;
	/**
	 * A new task completes on the simulator's clock this long after submission, whether or not anyone
	 * polls (the service's behaviour); `get_progress` follows the elapsed share. Default 30 000.
	 */
	completeAfterMs?: number;
	/** Up to this much more, drawn per task from the seed (default 0: every task takes completeAfterMs). */
	completeSpreadMs?: number;
	/**
	 * Not the service's behaviour, for tests that need it: a new task completes only after this many
	 * progress/result calls (get_progress, get, papi get_progress/get_result) answered "pending", and
	 * never on the clock. Overrides completeAfterMs/completeSpreadMs.
	 */
	pollCountedCompletion?: number;
	/** Added before every response is written. */
	latencyMs?: number;
	/** Requests arriving while this many are in flight get 429 + Retry-After: 1 (not processed). */
	concurrencyCap?: number;
	/** Max tasks per `completed` page (default 100). */
	completedPageSize?: number;
	/** Seeds task uuids, generated reports, completion spread and fault rates; default a random seed, so uuids differ between runs. */
	seed?: number;
	/** Approximate size in bytes of the result document generated for new tasks (default 60 000). */
	reportSizeBytes?: number;
	/** Clock in epoch ms (default Date.now); tests inject one to drive time-based behaviour. */
	clock?: () => number;
	/**
	 * Serve HTTPS with a certificate made at start-up (openssl, signed by a fresh CA, for 127.0.0.1
	 * and localhost); the CA's PEM is written to `caFile` (default: a file in a new temporary folder)
	 * so clients can verify it (NODE_EXTRA_CA_CERTS, a `ca` option) or run with checks off.
	 */
	tls?: boolean | { caFile?: string };
}

export type FaultKind =
	| 'latency'
	| 'http429'
	| 'http500'
	| 'http503'
	| 'error107'
	| 'error115'
	| 'sessionExpired'
	| 'reset'
	| 'gatewayHtml'
	| 'truncatedJson'
	| 'slowBody'
	| 'timeout';

/**
 * A fault injected into matching requests.
 *
 * Matching: `route` is the path without base and `.json` (`analysis/submit/file`, `papi/login`, …) or `'*'`.
 * Each matching request fires the fault with probability `rate` (default 1, drawn from the seeded PRNG);
 * `times` caps how many requests it fires on (default unlimited). Faults are checked in the order they
 * were injected; any number of `latency` faults add up, and at most one other fault applies per request.
 *
 * Phase (when the fault acts):
 * - Always before processing (the request has no effect: nothing submitted, no poll counted):
 *   `latency` (waits `latencyMs`, default 1000, then the request proceeds normally), `http429` (429,
 *   `Retry-After: retryAfterSeconds`, default 1), `error107` / `error115` (HTTP 200 API error bodies),
 *   `sessionExpired` (the session the request carries is deleted, HTTP 200 error 122).
 * - Before (default) or, with `phase: 'after'`, after processing (the request took effect, e.g. the
 *   submission is recorded, but its answer is lost or replaced): `reset` (TCP RST, no response),
 *   `timeout` (no response at all; the socket stays open until the client gives up or the simulator
 *   closes), `gatewayHtml` (nginx-style HTML page, status `status` 502 default or 504), `http500`,
 *   `http503` (JSON error bodies with that status; 503 carries Retry-After when `retryAfterSeconds` is set).
 * - Always after processing (they mangle the real answer): `truncatedJson` (the real JSON body cut to
 *   `truncateAtBytes`, default half, sent as a complete HTTP 200 response whose body no longer parses),
 *   `slowBody` (the real answer sent in `chunkBytes` pieces, default 16, every `chunkIntervalMs`, default 100).
 */
export interface FaultSpec {
	route: string;
	kind: FaultKind;
	times?: number;
	rate?: number;
	phase?: 'before' | 'after';
	latencyMs?: number;
	retryAfterSeconds?: number;
	status?: 502 | 504;
	truncateAtBytes?: number;
	chunkBytes?: number;
	chunkIntervalMs?: number;
}

export interface RecordedFile {
	field: string;
	filename: string;
	/** The part's Content-Type header; absent when the client sent none. */
	contentType?: string;
	size: number;
	sha256: string;
}

export interface RecordedRequest {
	/** 1-based arrival order. */
	sequence: number;
	receivedAt: number;
	method: string;
	/** The raw path as received, with any credential values in the query replaced by `[REDACTED]`. */
	path: string;
	/** Normalised route (`analysis/get`), or undefined for an unknown path. */
	route?: string;
	query: Record<string, string>;
	/** Header names lower-cased; `cookie` and `authorization` values are `[REDACTED]`. */
	headers: Record<string, string>;
	cookieNames: string[];
	bodyKind: 'none' | 'urlencoded' | 'multipart' | 'other' | 'invalid';
	/** Text fields; values of key, api_token and password are `[REDACTED]`. */
	fields: Record<string, string>;
	files: RecordedFile[];
	/** A credential parameter name in the query, or a configured secret anywhere in the URL. */
	credentialsInUrl: boolean;
	/** Final HTTP status; undefined while in flight or when no answer was sent (reset, timeout). */
	status?: number;
	/** The fault that replaced or altered the answer, if any (latency is not listed). */
	fault?: FaultKind | 'concurrencyCap';
}

export interface Submission {
	sequence: number;
	at: number;
	kind: 'file' | 'url';
	/** How it arrived: multipart upload, submit-by-hash, or URL. */
	via: 'upload' | 'hash' | 'url';
	taskUuid: string;
	/** sha256 for files, the URL for URL submissions: the key `submissionCount` counts by. */
	contentKey: string;
	filename?: string;
	/** An existing task answered it (complete or still pending). */
	cached: boolean;
	bypassCache: boolean;
}

export interface TaskSeed {
	kind: 'file' | 'url';
	taskUuid?: string;
	/** File content: hashes and mime type are derived from it. */
	content?: Buffer | string;
	md5?: string;
	sha1?: string;
	sha256?: string;
	mimeType?: string;
	filename?: string;
	url?: string;
	/** Default 'complete'. A pending task then follows the completion rules like a submitted one. */
	state?: 'pending' | 'complete';
	score?: number;
	reportSizeBytes?: number;
	submittedAt?: number;
	/** A complete result document (`data`) to serve instead of a generated one. */
	result?: Record<string, unknown>;
}
