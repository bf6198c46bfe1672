// Troubleshoot a port: gather the facts (connection tests, firewall, activity, workspace mentions), then
// build the step-by-step report as Markdown.
export { configMentionsIn } from './configMentions';
export { safeTarget } from './configStep';
export { containerLogsCommand, containerStep } from './containerStep';
export { connectionTargets, containersOf, gatherTroubleshootFacts } from './gather';
export type { GatherOptions } from './gather';
export { hostReachesSockets } from './listeningStep';
export { VERDICT_ICONS } from './markdown';
export { nextStepCommands } from './nextSteps';
export type { NextStepsInput } from './nextSteps';
export { buildTroubleshootReport } from './report';
export type {
  ConfigMention,
  ConnectionTest,
  ConnectionTestReason,
  NextStepCommand,
  StepId,
  StepVerdict,
  TroubleshootActivity,
  TroubleshootContainer,
  TroubleshootFacts,
  TroubleshootReport,
  TroubleshootStep,
} from './types';
