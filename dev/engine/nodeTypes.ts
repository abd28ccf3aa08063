/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
import { dirname, resolve } from 'node:path';

import type { DirectoryLoader } from 'n8n-core';
import { UnrecognizedCredentialTypeError, UnrecognizedNodeTypeError } from 'n8n-core';
import type {
	ICredentialType,
	IDataObject,
	INodeProperties,
	INodeType,
	INodeTypes,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { SourcePackageLoader, StockPackageLoader } from './sourcePackageLoader';

/** Root of this repository (dev/engine/ is two levels down). */
export const PROJECT_ROOT = resolve(__dirname, '..', '..');
export const STOCK_PACKAGE = 'n8n-nodes-base';

// Loaders are cached per directory: requiring node classes is the slow part, and n8n itself
// loads each package once per process.
const loaderCache = new Map<string, Promise<DirectoryLoader & { packageName: string }>>();

async function loadPackage(directory: string, stock: boolean) {
	let pending = loaderCache.get(directory);
	if (!pending) {
		const loader = stock ? new StockPackageLoader(directory) : new SourcePackageLoader(directory);
		pending = loader.loadAll().then(() => loader);
		loaderCache.set(directory, pending);
	}
	return await pending;
}

export interface RegistryOptions {
	/** Extra package directories (package.json with an `n8n` block) loaded from source. */
	packageDirs?: string[];
	/** Node-type prefix that also maps to this repository's package, e.g. 'CUSTOM' for e2e workflows. */
	typePrefix?: string;
}

/**
 * The node and credential types an execution can use: this package from source, extra source
 * packages, and n8n-nodes-base, looked up by the `<package>.<name>` node type as n8n does.
 */
export class EngineTypes implements INodeTypes {
	private constructor(
		private readonly loaders: Map<string, DirectoryLoader & { packageName: string }>,
	) {}

	static async create(options: RegistryOptions = {}): Promise<EngineTypes> {
		const loaders = new Map<string, DirectoryLoader & { packageName: string }>();
		const project = await loadPackage(PROJECT_ROOT, false);
		loaders.set(project.packageName, project);
		for (const directory of options.packageDirs ?? []) {
			const loader = await loadPackage(resolve(directory), false);
			loaders.set(loader.packageName, loader);
		}
		if (options.typePrefix && options.typePrefix !== project.packageName) {
			loaders.set(options.typePrefix, project);
		}
		const stockDir = dirname(require.resolve(`${STOCK_PACKAGE}/package.json`));
		loaders.set(STOCK_PACKAGE, await loadPackage(stockDir, true));
		return new EngineTypes(loaders);
	}

	/** Listed nodes and credentials of source packages that failed to load, with the reason. */
	loadFailures(): Array<{ packageName: string; sourcePath: string; message: string }> {
		return [...new Set(this.loaders.values())].flatMap((loader) =>
			loader instanceof SourcePackageLoader
				? loader.loadFailures.map((failure) => ({ packageName: loader.packageName, ...failure }))
				: [],
		);
	}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const { loader, name } = this.locateNode(nodeType);
		return loader.getNode(name).type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		const known: IDataObject = {};
		for (const [prefix, loader] of this.loaders) {
			for (const [name, details] of Object.entries(loader.known.nodes)) {
				known[`${prefix}.${name}`] = { ...details };
			}
		}
		return known;
	}

	getCredentialType(name: string): ICredentialType {
		for (const loader of new Set(this.loaders.values())) {
			if (name in loader.known.credentials || name in loader.credentialTypes) {
				return loader.getCredential(name).type;
			}
		}
		throw new UnrecognizedCredentialTypeError(name);
	}

	recognizesCredential(name: string): boolean {
		return [...this.loaders.values()].some((l) => name in l.known.credentials);
	}

	/** All ancestors named by `extends`, nearest first, as n8n's CredentialTypes reports them. */
	getParentTypes(name: string): string[] {
		const parents = this.getCredentialType(name).extends ?? [];
		return parents.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}

	/** Full node types (`<package>.<name>`) whose description lists this credential type. */
	getSupportedNodes(credentialName: string): string[] {
		const supported: string[] = [];
		for (const loader of new Set(this.loaders.values())) {
			const nodes = loader.known.credentials[credentialName]?.supportedNodes ?? [];
			supported.push(...nodes.map((node) => `${loader.packageName}.${node}`));
		}
		return supported;
	}

	/** The credential's own properties merged over those of the types it extends. */
	getCredentialProperties(name: string): INodeProperties[] {
		const type = this.getCredentialType(name);
		if (!type.extends) return type.properties;
		const merged: INodeProperties[] = [];
		for (const parent of type.extends) {
			NodeHelpers.mergeNodeProperties(merged, this.getCredentialProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(merged, type.properties);
		return merged;
	}

	private locateNode(nodeType: string) {
		const dot = nodeType.lastIndexOf('.');
		const prefix = dot > 0 ? nodeType.slice(0, dot) : '';
		const name = nodeType.slice(dot + 1);
		const loader = this.loaders.get(prefix);
		if (!loader) throw new UnrecognizedNodeTypeError(prefix, name);
		return { loader, name };
	}
}

