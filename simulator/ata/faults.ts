/** Fault registry: which injected fault, if any, applies to a request in a given phase (semantics on FaultSpec). */
import { normalizeRoute } from './routing';
import { createSeededRandom, deriveSeed, type SeededRandom } from './seededRandom';
import type { FaultKind, FaultSpec } from './types';

export const FAULT_KINDS: readonly FaultKind[] = [
	'latency',
	'http429',
	'http500',
	'http503',
	'error107',
	'error115',
	'sessionExpired',
	'reset',
	'gatewayHtml',
	'truncatedJson',
	'slowBody',
	'timeout',
];

/** Refusals: the service turned the request away, so it never takes effect. */
const BEFORE_ONLY: ReadonlySet<FaultKind> = new Set([
	'latency',
	'http429',
	'error107',
	'error115',
	'sessionExpired',
]);
/** Mangle the real answer, so they exist only after processing. */
const AFTER_ONLY: ReadonlySet<FaultKind> = new Set(['truncatedJson', 'slowBody']);

interface ActiveFault {
	spec: FaultSpec;
	route: string;
	phase: 'before' | 'after';
	fired: number;
}

export interface FaultSelection {
	/** Sum of the latency faults that fired. */
	delayMs: number;
	fault?: FaultSpec;
}

export class FaultInjector {
	private faults: ActiveFault[] = [];
	private random: SeededRandom;

	constructor(private readonly seed: number) {
		this.random = createSeededRandom(deriveSeed(seed, 'faults'));
	}

	add(spec: FaultSpec): void {
		if (!FAULT_KINDS.includes(spec.kind))
			throw new Error(`Unknown fault kind '${String(spec.kind)}'`);
		if (spec.rate !== undefined && !(spec.rate >= 0 && spec.rate <= 1))
			throw new Error('Fault rate must be within [0, 1]');
		const phase = spec.phase ?? (AFTER_ONLY.has(spec.kind) ? 'after' : 'before');
		if (phase === 'after' && BEFORE_ONLY.has(spec.kind))
			throw new Error(`Fault '${spec.kind}' only applies before processing`);
		if (phase === 'before' && AFTER_ONLY.has(spec.kind))
			throw new Error(`Fault '${spec.kind}' only applies after processing`);
		const route = spec.route === '*' ? '*' : normalizeRoute(spec.route).route;
		this.faults.push({ spec, route, phase, fired: 0 });
	}

	/** Removes every fault and restarts the rate PRNG, so a run is reproducible from its seed. */
	clear(): void {
		this.faults = [];
		this.random = createSeededRandom(deriveSeed(this.seed, 'faults'));
	}

	select(route: string, phase: 'before' | 'after'): FaultSelection {
		const selection: FaultSelection = { delayMs: 0 };
		for (const active of this.faults) {
			if (active.phase !== phase || (active.route !== '*' && active.route !== route)) continue;
			const isLatency = active.spec.kind === 'latency';
			if (!isLatency && selection.fault) continue;
			if (!this.fires(active)) continue;
			if (isLatency) selection.delayMs += active.spec.latencyMs ?? 1000;
			else selection.fault = active.spec;
		}
		return selection;
	}

	private fires(active: ActiveFault): boolean {
		if (active.spec.times !== undefined && active.fired >= active.spec.times) return false;
		if (
			active.spec.rate !== undefined &&
			active.spec.rate < 1 &&
			this.random.next() >= active.spec.rate
		)
			return false;
		active.fired++;
		return true;
	}
}
