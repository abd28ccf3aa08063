/* eslint-disable no-console -- development-only code, never shipped in dist/ */
/** Named e2e checks: each runs, prints one line, and counts towards the closing tally. */
import { redact } from './secrets';

export class Checks {
	passed = 0;
	failed = 0;
	readonly failures: string[] = [];

	/** Runs one check; a thrown error fails it (and only it). */
	async check(name: string, body: () => Promise<void> | void): Promise<boolean> {
		const started = Date.now();
		try {
			await body();
			this.passed++;
			console.log(`  ✓ ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
			return true;
		} catch (error) {
			this.failed++;
			const message = redact(error instanceof Error ? (error.stack ?? error.message) : String(error));
			this.failures.push(`${name}: ${message.split('\n')[0]}`);
			console.log(`  ✗ ${name}\n${message.replace(/^/gm, '      ')}`);
			return false;
		}
	}

	/** The plain closing line CI reads. */
	summary(): string {
		return `${this.passed} passed, ${this.failed} failed`;
	}
}
