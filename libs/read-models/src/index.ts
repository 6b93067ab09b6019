export * from './checkpoint-watcher';
export * from './checkpoints';
export * from './parked-event.entity';
export * from './parked-events';
export * from './projection-checkpoint.entity';
export * from './projection-runner';
export * from './projector';
export * from './rebuild';
export { ProjectionRuntime1764000000000 } from './migrations/1764000000000-projection-runtime';
