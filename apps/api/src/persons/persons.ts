import { ConflictError, InvalidCommandError } from '@tovholder/domain';
import type { EntityManager } from 'typeorm';
import { PersonEntity } from './person.entity';

/** A command may only name a person in the registry. */
export async function requirePerson(
  manager: EntityManager,
  personId: string,
): Promise<PersonEntity> {
  const person = await manager.findOneBy(PersonEntity, { personId });
  if (!person) {
    throw new InvalidCommandError('PERSON.UNKNOWN', 'personId names no registered person', {
      field: 'personId',
      personId,
    });
  }
  // Erased means the registration should not have been, or may no longer be, kept: nothing new
  // may be recorded about the person (what was recorded stays, under their id).
  if (person.erasedAt) {
    throw new ConflictError('PERSON.ERASED', 'This person has been erased from the registry', {
      field: 'personId',
    });
  }
  return person;
}
