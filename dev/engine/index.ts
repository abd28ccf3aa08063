// Must run before n8n-core reads its settings.
import './environment';

export type { EngineCredential } from './credentials-helper';
export { EngineCredentialsHelper } from './credentials-helper';
export { EngineTypes, PROJECT_ROOT } from './node-types';
export type { EngineOptions, RunOptions, RunResult } from './run-workflow';
export { runWorkflow } from './run-workflow';
export type { WorkflowJson } from './workflow-json';
export { readWorkflow } from './workflow-json';
export type { PollOptions, PollResult } from './poll-trigger';
export { pollTrigger } from './poll-trigger';
export { testCredential } from './credential-test';
