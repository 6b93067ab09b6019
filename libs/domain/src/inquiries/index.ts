export * from './inquiry-flags';
export * from './inquiry.commands';
export * from './inquiry.decider';
export * from './inquiry.events';
