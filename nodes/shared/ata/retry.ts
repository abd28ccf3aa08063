/**
 * Bounded, cancellable retries with exponential backoff and full jitter, honouring `Retry-After`.
 * Which failures are retried is decided by the error's `RetryClass` and by whether the request is
 * idempotent (see `session.ts` for the submission rule).
 */
import { sleep } from 'n8n-workflow';

import { AtaError } from './errors';
import { settle } from './text';

export interface RetryPolicy {
	/** Attempts in total, the first included. */
	maxAttempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/**
	 * No retry starts once this much time has passed since the first attempt, and a retry's requests
	 * end by then: a whole call lasts at most max(first request's timeout, maxTotalMs).
	 */
	maxTotalMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = {
	maxAttempts: 5,
	baseDelayMs: 500,
	maxDelayMs: 15_000,
	maxTotalMs: 90_000,
};

/** Delay before retry number `retry` (1-based): full jitter over an exponential ceiling. */
export function backoffDelayMs(policy: RetryPolicy, retry: number, random: () => number): number {
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export function isRetryable(error: AtaError, idempotent: boolean): boolean {
	return error.retry === 'safe' || (error.retry === 'ifIdempotent' && idempotent);
}

export interface RetryContext {
	policy: RetryPolicy;
	signal?: AbortSignal;
	random?: () => number;
	now?: () => number;
	/** Called before each wait, e.g. to count retries. */
	onRetry?: (error: AtaError, attempt: number, delayMs: number) => void;
}

/**
 * Runs `attempt` until it succeeds, fails with a non-retryable error, or the budget is spent.
 * `attempt` gets the epoch ms its requests must end by (unbounded for the first attempt, whose
 * requests have their own timeout; the budget's end for retries). The last error is rethrown unchanged.
 */
export async function withRetries<T>(
	attempt: (deadline: number) => Promise<T>,
	idempotent: boolean,
	context: RetryContext,
): Promise<T> {
	const now = context.now ?? Date.now;
	const random = context.random ?? Math.random;
	const started = now();
	for (let attemptNumber = 1; ; attemptNumber++) {
		const deadline = attemptNumber === 1 ? Infinity : started + context.policy.maxTotalMs;
		const outcome = await settle(attempt(deadline));
		if (outcome.ok) return outcome.value;
		const { error } = outcome;
		if (!(error instanceof AtaError) || !isRetryable(error, idempotent)) throw error;
		if (attemptNumber >= context.policy.maxAttempts) throw error;
		const backoff = backoffDelayMs(context.policy, attemptNumber, random);
		const delayMs = Math.max(backoff, error.retryAfterMs ?? 0);
		if (now() - started + delayMs > context.policy.maxTotalMs) throw error;
		context.onRetry?.(error, attemptNumber, delayMs);
		await pause(delayMs, context.signal);
	}
}

/** Waits, ending early with a cancellation error when the execution is cancelled. */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
	if (signal?.aborted) throw cancelledError();
	// n8n-workflow's `sleep` takes the abort signal (it wraps `sleepWithAbort`) and rejects on abort.
	const slept = await settle(sleep(ms, signal));
	if (!slept.ok || signal?.aborted) throw cancelledError();
}

export function cancelledError(): AtaError {
	return new AtaError('The request was cancelled', { kind: 'cancelled', retry: 'never' });
}
