export * from './caseworker.decider';
export * from './caseworker.events';
