/** An expected refusal of a command. `code` is stable: clients and the HTTP layer key on it. */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** The kinds of refusal, so the HTTP layer can map them to a status without knowing codes. */
export type DomainErrorKind = 'not_found' | 'conflict' | 'invalid';

export class NotFoundError extends DomainError {}
export class ConflictError extends DomainError {}
export class InvalidCommandError extends DomainError {}
