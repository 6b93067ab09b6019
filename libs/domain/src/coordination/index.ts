export * from './coordination-flags';
export * from './coordination-history';
export * from './family.commands';
export * from './family.decider';
export * from './family.events';
