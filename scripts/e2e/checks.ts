/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console -- development-only code, never shipped in dist/ */
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

	/** Prints the failures and the plain closing line CI reads; returns the exit code. */
	report(): number {
		if (this.failures.length) console.log(`Failed:\n  ${this.failures.join('\n  ')}`);
		console.log(`${this.passed} passed, ${this.failed} failed`);
		return this.failed === 0 ? 0 : 1;
	}
}

/** Runs a script's main and exits with its code; an unexpected error exits with 1. */
export function exitWith(main: () => Promise<number>): void {
	main().then(
		(code) => process.exit(code),
		(error: unknown) => {
			console.error(error);
			process.exit(1);
		},
	);
}
