export * from './agenda';
export * from '../shared/free-text';
export * from './meeting-flags';
export * from './meeting.commands';
export * from './meeting.decider';
export * from './meeting.events';
