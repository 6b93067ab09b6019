import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The address the server really listens on (HOST and PORT as the kernel took them). */
export function listeningAddress(app: INestApplication): string {
  return addressOf(app.getHttpServer() as Server);
}

export function addressOf(server: Server): string {
  const address = server.address() as AddressInfo | null;
  if (!address) return 'an unknown address';
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}
