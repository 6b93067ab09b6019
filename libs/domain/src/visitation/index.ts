export * from './visitation-flags';
export * from './visitation.commands';
export * from './visitation.decider';
export * from './visitation.events';
