/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { runInThisContext } from 'node:vm';

import { PackageDirectoryLoader, UnrecognizedNodeTypeError } from 'n8n-core';

/**
 * n8n's own package loader, pointed at TypeScript sources: `dist/x/Y.node.js` (as listed in
 * package.json) is served from `x/Y.node.ts`, and codex `dist/x/Y.node.json` from `x/Y.node.json`,
 * so nodes run without a build. The .ts file is loaded by whichever TypeScript hook is active
 * (ts-jest under jest, ts-node for scripts). Entries that fail to load are remembered rather than
 * fatal, so a package whose node list is still being written keeps working for the other nodes.
 */
export class SourcePackageLoader extends PackageDirectoryLoader {
	readonly loadFailures: Array<{ sourcePath: string; message: string }> = [];

	protected override resolvePath(file: string): string {
		const compiled = resolve(this.directory, file);
		const inPackage = relative(this.directory, compiled);
		if (!inPackage.startsWith('dist/')) return compiled;
		const source = join(this.directory, inPackage.slice('dist/'.length)).replace(/\.js$/, '.ts');
		return existsSync(source) ? source : compiled;
	}

	override async loadAll(): Promise<void> {
		const { n8n: block, version } = this.packageJson;
		for (const nodePath of block?.nodes ?? []) {
			this.tryLoad(nodePath, () => this.loadNodeFromFile(nodePath, version));
		}
		for (const credentialPath of block?.credentials ?? []) {
			this.tryLoad(credentialPath, () => this.loadCredentialFromFile(credentialPath));
		}
		this.linkCredentialsToNodes();
	}

	override getNode(nodeType: string) {
		const known = nodeType in this.nodeTypes || nodeType in this.known.nodes;
		if (!known && this.loadFailures.length > 0) {
			const failures = this.loadFailures.map((f) => `${f.sourcePath}: ${f.message}`).join('; ');
			throw new UnrecognizedNodeTypeError(this.packageName, `${nodeType} (load failures: ${failures})`);
		}
		return super.getNode(nodeType);
	}

	private tryLoad(sourcePath: string, load: () => void): void {
		try {
			load();
		} catch (error) {
			this.loadFailures.push({ sourcePath, message: (error as Error).message });
		}
	}

	/** As n8n's package loader does: each credential type learns which nodes use it. */
	private linkCredentialsToNodes(): void {
		for (const [name, { type }] of Object.entries(this.credentialTypes)) {
			type.supportedNodes = this.nodesByCredential[name] ?? [];
		}
	}
}

/**
 * n8n-nodes-base, loaded the way n8n lazy-loads it: only the `known` index is read up front, and a
 * node or credential class is required the first time a workflow asks for it.
 */
export class StockPackageLoader extends PackageDirectoryLoader {
	override async loadAll(): Promise<void> {
		this.known.nodes = this.readJSONSync('dist/known/nodes.json');
		this.known.credentials = this.readJSONSync('dist/known/credentials.json');
		this.isLazyLoaded = true;
	}

	override getNode(nodeType: string) {
		return withNativeEsm(() => super.getNode(nodeType));
	}
}

const ESM_REQUIRE_ERROR = /Must use import to load ES Module: (\S+)/;

/**
 * Some stock nodes depend on ESM-only packages (the Form Trigger on htmlparser2, via sanitize-html).
 * Node 20 requires those natively, but jest's CommonJS registry cannot, so under jest each such
 * module is required natively and handed to jest as a ready-made module before retrying.
 */
/**
 * Node's own require. Inside a test, jest hands modules a sandboxed `process` and its own
 * `node:module`; the outer context's process still reaches Node's real module loader.
 */
function nativeRequire(): NodeJS.Require {
	const outerProcess = runInThisContext('process') as NodeJS.Process;
	const nodeModule = outerProcess.getBuiltinModule('node:module') as typeof import('node:module');
	return nodeModule.createRequire(__filename);
}

function withNativeEsm<T>(load: () => T): T {
	for (let attempt = 0; attempt < 10; attempt++) {
		const file = esmModuleJestCannotRequire(load);
		if (file === undefined) break;
		jest.setMock(file, nativeRequire()(file));
	}
	return load();
}

/** Runs `load` once and returns the ESM file jest failed on, if that is why it failed. */
function esmModuleJestCannotRequire(load: () => unknown): string | undefined {
	if (typeof jest === 'undefined') return undefined;
	try {
		load();
		return undefined;
	} catch (error) {
		return ESM_REQUIRE_ERROR.exec((error as Error).message)?.[1];
	}
}
