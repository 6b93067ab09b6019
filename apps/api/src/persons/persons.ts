import { InvalidCommandError } from '@tovholder/domain';
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
  return person;
}
