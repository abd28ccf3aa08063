/** A small deterministic PRNG (mulberry32): the simulator and the report generator must be reproducible per seed. */
export interface SeededRandom {
	/** Uniform float in [0, 1). */
	next(): number;
	/** Uniform integer in [0, max). */
	int(max: number): number;
	/** Uniform integer in [min, max]. */
	between(min: number, max: number): number;
	hex(length: number): string;
	pick<T>(items: readonly T[]): T;
	chance(probability: number): boolean;
}

const HEX_DIGITS = '0123456789abcdef';

export function createSeededRandom(seed: number): SeededRandom {
	let state = seed >>> 0;
	const nextUint32 = (): number => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return (t ^ (t >>> 14)) >>> 0;
	};
	const next = (): number => nextUint32() / 4294967296;
	const int = (max: number): number => Math.floor(next() * max);
	return {
		next,
		int,
		between: (min, max) => min + int(max - min + 1),
		hex(length) {
			let out = '';
			while (out.length < length) {
				let word = nextUint32();
				for (let i = 0; i < 8 && out.length < length; i++) {
					out += HEX_DIGITS[word & 15];
					word >>>= 4;
				}
			}
			return out;
		},
		pick: (items) => items[int(items.length)],
		chance: (probability) => next() < probability,
	};
}

/** FNV-1a over the parts: derives independent, stable sub-seeds (per task, per section). */
export function deriveSeed(...parts: Array<string | number>): number {
	let hash = 0x811c9dc5;
	for (const part of parts) {
		const text = `${String(part)}\u0000`;
		for (let i = 0; i < text.length; i++) {
			hash ^= text.charCodeAt(i);
			hash = Math.imul(hash, 0x01000193) >>> 0;
		}
	}
	return hash;
}
