// Imported first by the API's and the worker's main: instrumentation must be in place before
// http, express, Nest and pg are loaded.
import { startTracing } from './tracing';

const sdk = startTracing();
if (sdk) process.once('beforeExit', () => void sdk.shutdown());
