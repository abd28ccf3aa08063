import { AtaError, type RetryClass } from '../../../nodes/shared/ata/errors';
import { backoffDelayMs, withRetries } from '../../../nodes/shared/ata/retry';

const policy = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 8, maxTotalMs: 1000 };
const fail = (retry: RetryClass, retryAfterMs?: number) =>
	new AtaError('x', { kind: 'api', retry, retryAfterMs });

describe('retries', () => {
	it('grows the delay exponentially with jitter inside [ceiling/2, ceiling]', () => {
		const p = { maxAttempts: 9, baseDelayMs: 100, maxDelayMs: 1000, maxTotalMs: 1e6 };
		expect(backoffDelayMs(p, 1, () => 0)).toBe(50);
		expect(backoffDelayMs(p, 1, () => 1)).toBe(100);
		expect(backoffDelayMs(p, 3, () => 1)).toBe(400);
		expect(backoffDelayMs(p, 9, () => 1)).toBe(1000);
	});

	it('retries safe failures up to the attempt limit', async () => {
		let calls = 0;
		await expect(
			withRetries(async () => {
				calls++;
				throw fail('safe');
			}, false, { policy }),
		).rejects.toThrow(AtaError);
		expect(calls).toBe(4);
	});

	it('retries unknown outcomes only for idempotent calls', async () => {
		let calls = 0;
		const attempt = async () => {
			calls++;
			throw fail('ifIdempotent');
		};
		await expect(withRetries(attempt, false, { policy })).rejects.toThrow();
		expect(calls).toBe(1);
		await expect(withRetries(attempt, true, { policy })).rejects.toThrow();
		expect(calls).toBe(5);
	});

	it('never retries non-retryable errors and returns the first success', async () => {
		let calls = 0;
		await expect(withRetries(async () => { calls++; throw fail('never'); }, true, { policy })).rejects.toThrow();
		expect(calls).toBe(1);
		let n = 0;
		await expect(withRetries(async () => { if (++n < 3) throw fail('safe'); return 'ok'; }, false, { policy })).resolves.toBe('ok');
	});

	it('gives up when Retry-After exceeds the time budget', async () => {
		let calls = 0;
		const started = Date.now();
		await expect(withRetries(async () => { calls++; throw fail('safe', 5000); }, true, { policy })).rejects.toThrow();
		expect(calls).toBe(1);
		expect(Date.now() - started).toBeLessThan(1000);
	});

	it('honours Retry-After', async () => {
		const delays: number[] = [];
		let n = 0;
		await withRetries(async () => { if (++n < 2) throw fail('safe', 30); return 1; }, true, {
			policy, onRetry: (_e, _a, d) => delays.push(d),
		});
		expect(delays).toEqual([30]);
	});

	it('stops waiting when cancelled', async () => {
		const controller = new AbortController();
		const longPolicy = { ...policy, baseDelayMs: 10_000, maxDelayMs: 10_000, maxTotalMs: 60_000 };
		const run = withRetries(async () => { throw fail('safe'); }, true, { policy: longPolicy, signal: controller.signal });
		const started = Date.now();
		controller.abort();
		await expect(run).rejects.toMatchObject({ kind: 'cancelled' });
		expect(Date.now() - started).toBeLessThan(2000);
	});
});
