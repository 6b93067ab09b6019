export * from './agenda';
export * from './free-text';
export * from './meeting-flags';
export * from './meeting.commands';
export * from './meeting.decider';
export * from './meeting.events';
