/** Lists for the editor: the templates the node knows, and the relations of the chosen one. */
import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { getTemplate, OBJECT_TEMPLATES, type ObjectTemplate } from '../../shared/misp/templates';

export function templateOptions(): INodePropertyOptions[] {
	return Object.values(OBJECT_TEMPLATES)
		.map((template) => ({
			name: template.name,
			value: template.name,
			description: `${template.description} (${template.metaCategory}, version ${template.version})`,
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}

/** What a user must know to fill a relation: its type, and whether it is required or multiple. */
function relationNotes(template: ObjectTemplate, relation: string): string {
	const spec = template.relations[relation];
	const notes = [spec.type];
	if (template.required.includes(relation)) notes.push('required');
	else if (template.requiredOneOf.includes(relation)) notes.push('one of these is required');
	if (spec.multiple) notes.push('multiple');
	return notes.join(', ');
}

export function relationOptions(templateName: string): INodePropertyOptions[] {
	const template = getTemplate(templateName);
	if (!template) return [];
	return Object.keys(template.relations)
		.sort((a, b) => a.localeCompare(b))
		.map((relation) => ({
			name: `${relation} (${relationNotes(template, relation)})`,
			value: relation,
			description: template.relations[relation].categories
				? `Categories: ${template.relations[relation].categories?.join(', ')}`
				: undefined,
		}));
}

export async function getTemplates(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return templateOptions();
}

export async function getRelations(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const template = this.getCurrentNodeParameter('template');
	return relationOptions(typeof template === 'string' ? template : '');
}
