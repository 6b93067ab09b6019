import { ConflictException } from '@nestjs/common';
import {
  applicationDecider,
  applicationStream,
  isApplicationEvent,
  processingDeadline,
} from '@tovholder/domain';
import { loadOpenCaseFacts } from '../cases/case-facts';
import { requirePerson } from '../persons/persons';
import { streamKind } from '../shared/command-runner';
import type { ReceiveApplicationDto } from './application.dto';
import { publishedDeadline } from './processing-deadlines';

export const APPLICATIONS = streamKind(applicationStream, applicationDecider, isApplicationEvent);

/**
 * An application in an open case: the case's person, department and type, whether the person is
 * exempt from digital post, and the processing deadline published for the case type now (409
 * when none is). `received.deadline` is the deadline it got, once prepared.
 */
export function receiveApplication(
  applicationId: string,
  caseId: string,
  body: ReceiveApplicationDto,
) {
  const received = { deadline: '' };
  const pending = APPLICATIONS.on(applicationId, async ({ store, manager, now }) => {
    const facts = await loadOpenCaseFacts(store, caseId);
    const person = await requirePerson(manager, facts.personId);
    const published = await publishedDeadline(manager, facts.caseType);
    if (!published) {
      throw new ConflictException({
        code: 'APPLICATION.NO_PUBLISHED_DEADLINE',
        message: `No processing deadline is published for this case type; set one with PUT /processing-deadlines/${facts.caseType}`,
        details: { caseType: facts.caseType },
      });
    }
    const publishedDeadlineNow = { amount: published.amount, unit: published.unit };
    received.deadline = processingDeadline(body.applicationDate, publishedDeadlineNow);
    return {
      type: 'ReceiveApplication',
      applicationId,
      caseId,
      personId: facts.personId,
      departmentId: facts.departmentId,
      caseType: facts.caseType,
      applicationDate: body.applicationDate,
      publishedDeadline: publishedDeadlineNow,
      exemptFromDigitalPost: person.exemptFromDigitalPost,
      at: body.at,
      now,
    };
  });
  return { pending, received };
}
