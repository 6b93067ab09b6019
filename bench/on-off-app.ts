// One side of an on/off bench as a process of its own, as an API instance is in production. Two
// apps in the bench's process shared one event loop and one heap: the side that ran paid for the
// other's timers and garbage, and a feature that hooks the process (nestjs-pino's
// AsyncLocalStorage) slowed both sides alike.
//
// Started by on-off.ts with fork(); the parent sends { start }, the child answers { listening }
// with its URL, then answers { cpu } with its CPU time on request until it is sent { close }.
import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import type { AppConfig } from '../apps/api/src/config/app-config';
import { createApp } from '../apps/api/src/create-app';

/** What a side switches off or on; plain data, as it crosses the process boundary. */
export interface AppVariant {
  /** JSON request lines (nestjs-pino) written to /dev/null; off: no logger at all. */
  readonly requestLog: boolean;
  readonly metrics: boolean;
  /** The validation pipe's input guards (faults bench). */
  readonly inputGuards: boolean;
}

export type ToChild =
  | { readonly kind: 'start'; readonly config: AppConfig; readonly variant: AppVariant }
  | { readonly kind: 'cpu' }
  | { readonly kind: 'close' };

export type FromChild =
  | { readonly kind: 'listening'; readonly url: string }
  | { readonly kind: 'cpu'; readonly microseconds: number }
  | { readonly kind: 'failed'; readonly message: string };

function build(config: AppConfig, variant: AppVariant): Promise<INestApplication> {
  const metrics = variant.metrics ? config.metrics : { enabled: false, port: null };
  const options = { config: { ...config, metrics }, inputGuards: variant.inputGuards };
  if (!variant.requestLog) return createApp({ ...options, logger: false });
  return createApp({
    config: { ...options.config, logFormat: 'json' },
    inputGuards: variant.inputGuards,
    // Asynchronous, as in production: serialisation and the write are counted, the disk is not.
    logDestination: pino.destination({ dest: '/dev/null', sync: false }),
  });
}

async function listen(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  const server = app.getHttpServer() as Server;
  // Each side's 16 connections idle while the other side runs: past Node's 5 s keep-alive the
  // server closes them, and a request sent as it does fails with "socket hang up".
  server.keepAliveTimeout = 10 * 60_000;
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

function send(message: FromChild): void {
  process.send?.(message);
}

if (require.main === module) {
  let app: INestApplication | null = null;
  // The bench was stopped (killed, Ctrl-C): no one is left to send { close }.
  process.once('disconnect', () => process.exit(0));
  process.on('message', (message: ToChild) => {
    if (message.kind === 'start') {
      build(message.config, message.variant)
        .then(async (started) => {
          app = started;
          send({ kind: 'listening', url: await listen(started) });
        })
        .catch((error: unknown) => {
          send({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
          process.exit(1);
        });
    } else if (message.kind === 'cpu') {
      const { user, system } = process.cpuUsage();
      send({ kind: 'cpu', microseconds: user + system });
    } else {
      void (app?.close() ?? Promise.resolve()).finally(() => process.exit(0));
    }
  });
}
