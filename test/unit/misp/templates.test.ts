import {
	ATTRIBUTE_TYPES,
	MISP_CATEGORIES,
	defaultCategory,
	defaultToIds,
	isCategoryAllowed,
} from '../../../nodes/shared/misp/attributeTypes';
import { OBJECT_TEMPLATES, getTemplate } from '../../../nodes/shared/misp/templates';
import { describeWithOfficialMisp } from '../../support/officialMisp';

const BUILDER_TEMPLATES = [
	'ip-port',
	'domain-ip',
	'url',
	'file',
	'dns-record',
	'network-socket',
	'command-line',
	'scheduled-task',
	'windows-service',
	'x509',
	'attack-pattern',
	'av-signature',
	'malware-analysis',
];
const CONVERTER_TEMPLATES = [
	'file',
	'url',
	'sandbox-report',
	'sb-signature',
	'domain-ip',
	'http-request',
	'network-connection',
	'process',
	'registry-key',
	'mutex',
];

describe('template knowledge (own checks)', () => {
	it('covers every template the converter emits and the Object Builder needs', () => {
		for (const name of [...BUILDER_TEMPLATES, ...CONVERTER_TEMPLATES]) {
			expect(getTemplate(name)?.name).toBe(name);
		}
		expect(getTemplate('constructor')).toBeUndefined();
		expect(getTemplate('no-such-template')).toBeUndefined();
	});

	it('has the file relations users reach for', () => {
		const file = OBJECT_TEMPLATES.file.relations;
		for (const relation of [
			'md5',
			'sha1',
			'sha256',
			'sha512',
			'ssdeep',
			'filename',
			'fullpath',
			'size-in-bytes',
			'mimetype',
		]) {
			expect(file[relation]).toBeDefined();
		}
	});

	it('describes every relation type in the attribute-type knowledge', () => {
		for (const template of Object.values(OBJECT_TEMPLATES)) {
			for (const [relation, spec] of Object.entries(template.relations)) {
				expect([template.name, relation, ATTRIBUTE_TYPES[spec.type] !== undefined]).toEqual([
					template.name,
					relation,
					true,
				]);
			}
		}
	});
});

describeWithOfficialMisp(
	'template knowledge equals the official misp-objects definitions',
	(misp) => {
		it.each(Object.keys(OBJECT_TEMPLATES))('%s', (name) => {
			const ours = OBJECT_TEMPLATES[name];
			const official = misp.templates.get(name);
			expect(official).toBeDefined();
			expect(ours.uuid).toBe(official.uuid);
			expect(ours.version).toBe(official.version);
			expect(ours.metaCategory).toBe(official['meta-category']);
			expect(ours.required).toEqual(official.required ?? []);
			expect(ours.requiredOneOf).toEqual(official.requiredOneOf ?? []);
			for (const [relation, spec] of Object.entries(ours.relations)) {
				const element = official.attributes[relation];
				expect([relation, element !== undefined]).toEqual([relation, true]);
				expect([relation, spec.type]).toEqual([relation, element['misp-attribute']]);
				expect([relation, spec.multiple === true]).toEqual([relation, element.multiple === true]);
				expect([relation, spec.categories]).toEqual([relation, element.categories]);
				expect([relation, spec.disableCorrelation === true]).toEqual([
					relation,
					element.disable_correlation === true,
				]);
			}
			// Required relations must be known, or the Object Builder could not satisfy them.
			for (const relation of [...ours.required, ...ours.requiredOneOf]) {
				expect([relation, ours.relations[relation] !== undefined]).toEqual([relation, true]);
			}
			expect(ours.description).not.toBe(official.description);
		});
	},
);

describeWithOfficialMisp('attribute-type knowledge equals describeTypes.json', (misp) => {
	const official = misp.describeTypes;

	it('lists the 16 categories in MISP order', () => {
		expect(MISP_CATEGORIES).toEqual(official.categories);
		expect(MISP_CATEGORIES).toHaveLength(16);
	});

	it.each(Object.keys(ATTRIBUTE_TYPES))('type %s: defaults and category mapping', (type) => {
		expect(official.types).toContain(type);
		expect(defaultCategory(type)).toBe(official.sane_defaults[type].default_category);
		expect(defaultToIds(type)).toBe(official.sane_defaults[type].to_ids === 1);
		for (const category of official.categories) {
			const allowed = (official.category_type_mappings[category] ?? []).includes(type);
			expect([category, isCategoryAllowed(category, type)]).toEqual([category, allowed]);
		}
	});

	it('rejects unknown categories and types', () => {
		expect(isCategoryAllowed('Nonsense', 'md5')).toBe(false);
		expect(isCategoryAllowed('Payload delivery', 'no-such-type')).toBe(false);
		expect(defaultCategory('constructor')).toBeUndefined();
	});
});
