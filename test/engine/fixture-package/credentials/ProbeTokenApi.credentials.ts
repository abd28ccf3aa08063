/* eslint-disable @n8n/community-nodes/credential-test-required, @n8n/community-nodes/icon-validation, @n8n/community-nodes/cred-class-field-icon-missing -- test-only fixture type, never published */
import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/** Has no `test` of its own: the Engine Probe node names a test method via `testedBy`. */
export class ProbeTokenApi implements ICredentialType {
	name = 'probeTokenApi';

	displayName = 'Probe Token API (engine fixture)';

	properties: INodeProperties[] = [
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
	];
}
