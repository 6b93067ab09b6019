export * from './complaint-flags';
export * from './complaint.commands';
export * from './complaint.decider';
export * from './complaint.events';
