export * from './supervision-questions';
export * from './supervision-sample';
export * from './supervision.commands';
export * from './supervision.decider';
export * from './supervision.events';
