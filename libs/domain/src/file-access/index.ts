export * from './file-access-flags';
export * from './file-access.commands';
export * from './file-access.decider';
export * from './file-access.events';
