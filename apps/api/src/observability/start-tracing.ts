// Imported first by the API's and the worker's main, and by the projection thread: instrumentation
// must be in place before http, express, Nest and pg are loaded.
import { startTracing } from './tracing';

export const tracing = startTracing();
if (tracing) process.once('beforeExit', () => void tracing.shutdown());
