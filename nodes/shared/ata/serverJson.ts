/**
 * Server JSON made safe to pass on: the configured secrets (and their URL- and form-encoded forms)
 * replaced wherever a string holds them, so a server that echoes the login form cannot put them
 * into an error or an output; and nesting cut at a fixed depth, so n8n can always copy and save the
 * execution (its JSON handling recurses). Both in one iterative walk: no recursion on any input.
 */

export const MAX_JSON_DEPTH = 100;
export const REDACTED = '[redacted]';
export const DEPTH_MARKER = `[left out: nested deeper than ${MAX_JSON_DEPTH} levels]`;

/** Every form in which a secret can come back in server text, longest first. */
export function secretForms(secrets: ReadonlyArray<string | undefined>): string[] {
	const forms = new Set<string>();
	for (const secret of secrets) {
		if (!secret) continue;
		const uri = encodeURIComponent(secret);
		const form = new URLSearchParams({ s: secret }).toString().slice(2);
		for (const value of [secret, uri, uri.toLowerCase(), form, form.toLowerCase()]) forms.add(value);
	}
	return [...forms].sort((a, b) => b.length - a.length);
}

/** `text` with every secret form replaced. */
export function scrubText(text: string, forms: readonly string[]): string {
	let clean = text;
	for (const form of forms) if (clean.includes(form)) clean = clean.split(form).join(REDACTED);
	return clean;
}

interface Pending {
	source: unknown;
	target: Record<string, unknown> | unknown[];
	key: string | number;
	depth: number;
}

/**
 * Parsed JSON with secrets scrubbed and anything deeper than `maxDepth` replaced by a marker: the value
 * itself when there is nothing to change (the common case costs one walk and no copy), else a copy.
 */
export function boundedJson(value: unknown, forms: readonly string[], maxDepth = MAX_JSON_DEPTH): unknown {
	return needsCleaning(value, forms, maxDepth) ? cleanCopy(value, forms, maxDepth) : value;
}

function holdsSecret(text: string, forms: readonly string[]): boolean {
	return forms.some((form) => text.includes(form));
}

function needsCleaning(value: unknown, forms: readonly string[], maxDepth: number): boolean {
	// Parallel stacks and index loops: this walk runs over every answer, so it allocates little.
	const values: unknown[] = [value];
	const depths: number[] = [0];
	const visit = (child: unknown, depth: number): boolean => {
		if (typeof child === 'string') return forms.length > 0 && holdsSecret(child, forms);
		if (child !== null && typeof child === 'object') {
			values.push(child);
			depths.push(depth);
		}
		return false;
	};
	while (values.length > 0) {
		const current = values.pop() as object | string;
		const depth = depths.pop()!;
		if (typeof current === 'string') {
			if (visit(current, depth)) return true;
			continue;
		}
		if (depth >= maxDepth) return true;
		if (Array.isArray(current)) {
			for (let index = 0; index < current.length; index++) if (visit(current[index], depth + 1)) return true;
		} else {
			const record = current as Record<string, unknown>;
			for (const name in record) {
				if (forms.length > 0 && holdsSecret(name, forms)) return true;
				if (visit(record[name], depth + 1)) return true;
			}
		}
	}
	return false;
}

function cleanCopy(value: unknown, forms: readonly string[], maxDepth: number): unknown {
	const root: unknown[] = [];
	const stack: Pending[] = [{ source: value, target: root, key: 0, depth: 0 }];
	while (stack.length > 0) {
		const { source, target, key, depth } = stack.pop()!;
		const put = (copy: unknown) => {
			// JSON.parse makes `__proto__` an own key; plain assignment would set the prototype instead.
			if (key === '__proto__') Object.defineProperty(target, key, { value: copy, enumerable: true, writable: true, configurable: true });
			else (target as Record<string | number, unknown>)[key] = copy;
		};
		if (typeof source === 'string') {
			put(forms.length > 0 ? scrubText(source, forms) : source);
		} else if (source === null || typeof source !== 'object') {
			put(source);
		} else if (depth >= maxDepth) {
			put(DEPTH_MARKER);
		} else if (Array.isArray(source)) {
			const copy: unknown[] = new Array<unknown>(source.length);
			put(copy);
			for (let index = source.length - 1; index >= 0; index--) {
				stack.push({ source: source[index], target: copy, key: index, depth: depth + 1 });
			}
		} else {
			const copy: Record<string, unknown> = {};
			put(copy);
			// Reversed onto the stack, so keys are inserted in their original order.
			const entries = Object.entries(source);
			for (let index = entries.length - 1; index >= 0; index--) {
				const [name, child] = entries[index];
				const cleanName = forms.length > 0 ? scrubText(name, forms) : name;
				stack.push({ source: child, target: copy, key: cleanName, depth: depth + 1 });
			}
		}
	}
	return root[0];
}

/** How many subtrees `boundedJson` left out of this value (for a warning next to a raw report). */
export function countDepthMarkers(value: unknown): number {
	let count = 0;
	const stack: unknown[] = [value];
	while (stack.length > 0) {
		const current = stack.pop();
		if (current === DEPTH_MARKER) count++;
		else if (current !== null && typeof current === 'object') for (const child of Object.values(current)) stack.push(child);
	}
	return count;
}
