export * from './case.commands';
export * from './case.decider';
export * from './case.events';
