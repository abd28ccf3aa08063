/** ATA wire timestamps: UTC `YYYY-MM-DD HH:MM:SS` (strict, clients strptime it), optionally `.ffffff`. */
export function formatAtaTime(epochMs: number): string {
	return new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ');
}

export function formatAtaTimeMicros(epochMs: number): string {
	const millis = String(Math.floor(epochMs) % 1000).padStart(3, '0');
	return `${formatAtaTime(epochMs)}.${millis}000`;
}

const ATA_TIME =
	/^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?)?(?:Z|\+0000)?$/;

/** Parses the timestamps clients send (`after`, `before`); returns epoch ms or undefined when malformed. */
export function parseAtaTime(text: string): number | undefined {
	const match = ATA_TIME.exec(text.trim());
	if (!match) return undefined;
	const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '0'] = match;
	const ms = Date.UTC(
		+year,
		+month - 1,
		+day,
		+hour,
		+minute,
		+second,
		Math.floor(+fraction.padEnd(6, '0') / 1000),
	);
	return Number.isNaN(ms) ? undefined : ms;
}

/** Windows and cursors work at the wire format's whole-second resolution. */
export function wholeSecond(epochMs: number): number {
	return Math.floor(epochMs / 1000) * 1000;
}
