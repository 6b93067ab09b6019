export * from './cases';
export * from './caseworkers';
export * from './coordination';
export * from './transitions';
export * from './shared/decider';
export * from './shared/domain-error';
