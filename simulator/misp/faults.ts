
export type FaultKind = 'http403' | 'http404' | 'http500' | 'reset' | 'latency';

export interface FaultSpec {
	/** A path prefix (`/objects/add` matches `/objects/add/12`) or a regular expression on the path. */
	route: string | RegExp;
	kind: FaultKind;
	/** How many matching requests it hits; unlimited when absent. */
	times?: number;
	/** Probability per matching request (default 1). */
	rate?: number;
	/** For `reset`: drop the connection before the request is applied (default) or after. */
	phase?: 'before' | 'after';
	/** For `latency`: how long to hold the request before handling it. */
	delayMs?: number;
}

/** What the server must do to one request. */
export interface FaultPlan {
	delayMs: number;
	/** The fault that replaces or ends the normal answer, if any. */
	fault?: FaultSpec;
}

function routeMatches(route: string | RegExp, path: string): boolean {
	if (typeof route !== 'string') return route.test(path);
	return path === route || path.startsWith(route.endsWith('/') ? route : `${route}/`);
}

/** Rules in the order they were injected; each counts down its own `times`. */
export class FaultInjector {
	private rules: Array<{ spec: FaultSpec; remaining: number }> = [];

	add(spec: FaultSpec): void {
		this.rules.push({ spec, remaining: spec.times ?? Number.POSITIVE_INFINITY });
	}

	clear(): void {
		this.rules = [];
	}

	/** Latency faults add up; the first firing non-latency fault wins. */
	plan(path: string): FaultPlan {
		const plan: FaultPlan = { delayMs: 0 };
		for (const rule of this.rules) {
			if (rule.remaining <= 0 || !routeMatches(rule.spec.route, path)) continue;
			if (plan.fault && rule.spec.kind !== 'latency') continue;
			if (Math.random() >= (rule.spec.rate ?? 1)) continue;
			rule.remaining -= 1;
			if (rule.spec.kind === 'latency') plan.delayMs += rule.spec.delayMs ?? 0;
			else plan.fault = rule.spec;
		}
		return plan;
	}
}
