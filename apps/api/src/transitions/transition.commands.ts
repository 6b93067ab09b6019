import { NotFoundException } from '@nestjs/common';
import {
  isTransitionEvent,
  transitionDecider,
  transitionStream,
  type TransitionCommand,
} from '@tovholder/domain';
import { loadCaseworkerFacts } from '../caseworkers/caseworker-facts';
import { requireDepartment } from '../departments/departments';
import { requirePerson } from '../persons/persons';
import { streamKind, type Preparation } from '../shared/command-runner';
import type { AssignAdultCaseworkerDto, StartPreparationDto } from './transition.dto';

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

/** The decider needs to know whether the caseworker who starts exists and is active. */
export const startPreparation = (personId: string, body: StartPreparationDto) =>
  transitionOf(personId, async ({ store, now }) => ({
    type: 'StartPreparation',
    personId,
    by: await loadCaseworkerFacts(store, body.caseworkerId),
    inDialogueWith: body.inDialogueWith,
    startedAt: body.at,
    now,
  }));

/** The department must be registered; the caseworker's facts go to the decider. */
export const assignAdultCaseworker = (personId: string, body: AssignAdultCaseworkerDto) =>
  transitionOf(personId, async ({ store, manager, now }) => {
    await requireDepartment(manager, body.departmentId);
    return {
      type: 'AssignAdultCaseworker',
      personId,
      caseworker: await loadCaseworkerFacts(store, body.caseworkerId),
      departmentId: body.departmentId,
      assignedAt: body.at,
      now,
    };
  });
