import { NotFoundException, ParseUUIDPipe } from '@nestjs/common';

/** A record id in a path: a malformed one is simply not found. */
export const recordIdPipe = (code: string, message: string): ParseUUIDPipe =>
  new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException({ code, message }) });
