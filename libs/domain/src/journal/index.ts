export * from './journal-flags';
export * from './journal.commands';
export * from './journal.decider';
export * from './journal.events';
