/**
 * Test secrets of the e2e (simulator credentials, MISP key, owner password, API key), and the
 * redaction applied to everything the e2e prints, so none of them reaches a log.
 */
import { randomBytes } from 'node:crypto';

const known = new Set<string>();

/** Registers a secret so `redact` hides it; returns it for convenience. */
export function secret(value: string): string {
	if (value.length >= 6) known.add(value);
	return value;
}

/** The registered secrets found in a text (none, normally). */
export function leakedSecrets(text: string): string[] {
	return [...known].filter((value) => text.includes(value)).map((value) => `${value.slice(0, 4)}…`);
}

export function redact(text: string): string {
	let result = text;
	for (const value of known) result = result.split(value).join('***');
	return result;
}

/** Fresh per run: distinctive, so a leak is easy to grep for. */
export const ATA_SECRETS = {
	key: secret(`E2E-key-${randomBytes(6).toString('hex')}`),
	apiToken: secret(`E2E-token-${randomBytes(6).toString('hex')}`),
	username: 'e2e-analyst@example.com',
	password: secret(`E2E-password-${randomBytes(6).toString('hex')}`),
};

/** MISP keys are 40 alphanumerics. */
export const MISP_KEY = secret(`E2Emisp${randomBytes(20).toString('hex')}`.slice(0, 40));

export const OWNER = {
	email: 'owner@e2e.example.com',
	firstName: 'E2E',
	lastName: 'Owner',
	password: secret(`E2e-Owner-${randomBytes(6).toString('hex')}`),
};
