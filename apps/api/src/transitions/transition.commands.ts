import { NotFoundException } from '@nestjs/common';
import {
  isTransitionEvent,
  transitionDecider,
  transitionStream,
  type TransitionCommand,
} from '@tovholder/domain';
import { requirePerson } from '../persons/persons';
import { streamKind, type Preparation } from '../shared/command-runner';

export const TRANSITIONS = streamKind(transitionStream, transitionDecider, isTransitionEvent);

export const transitionNotFound = () =>
  new NotFoundException({
    code: 'TRANSITION.NOT_FOUND',
    message: 'No young person in scope with this id',
  });

/** A step of a young person's transition: the person must be in the registry (else 404). */
export const transitionOf = (
  personId: string,
  prepare: (preparation: Preparation) => TransitionCommand | Promise<TransitionCommand>,
) =>
  TRANSITIONS.on(personId, async (preparation) => {
    await requirePerson(preparation.manager, personId).catch(() =>
      Promise.reject(transitionNotFound()),
    );
    return prepare(preparation);
  });
