export * from './birthday-schedule';
export * from './transition-flags';
export * from './transition.commands';
export * from './transition.decider';
export * from './transition.events';
