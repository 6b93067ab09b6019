export * from './alert-rules';
