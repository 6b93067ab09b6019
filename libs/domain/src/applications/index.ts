export * from './application-flags';
export * from './application.commands';
export * from './application.decider';
export * from './application.events';
export * from './decision-checklist';
export * from './processing-deadline';
