import { loadCaseFacts } from '../cases/case-facts';
import { requireDepartment } from '../departments/departments';
import { requirePerson } from '../persons/persons';
import type { ContactChannel, UncheckedEvent } from '@tovholder/domain';
import type { Preparation, StreamKind } from '../shared/command-runner';

/** What a citizen's inquiry, complaint or file-access request names besides itself. */
export interface NamedInRequest {
  readonly departmentId: string;
  readonly personId?: string;
  readonly caseId?: string;
}

/**
 * Receiving an inquiry, a complaint or a file-access request: one preparation for all three.
 * Each may only name an active department, a registered person and (from the case's own
 * stream) a case that exists.
 */
export async function checkCitizenRequest(
  { manager, store }: Preparation,
  named: NamedInRequest,
): Promise<void> {
  if (named.personId !== undefined) await requirePerson(manager, named.personId);
  await requireDepartment(manager, named.departmentId);
  if (named.caseId !== undefined) await loadCaseFacts(store, named.caseId);
}

/** What every citizen's request carries, as the HTTP body gives it. */
export interface CitizenRequestFields extends NamedInRequest {
  readonly channel: ContactChannel;
  /** When it was received, if not now. */
  readonly at?: Date;
}

/** The fields the three receive commands share, once the named records are checked. */
export interface ReceivedRequest {
  readonly departmentId: string;
  readonly caseId: string | null;
  readonly channel: ContactChannel;
  readonly receivedAt: Date | undefined;
  readonly now: Date;
}

/**
 * Receiving an inquiry, a complaint or a file-access request on its own stream kind: the named
 * records checked (`checkCitizenRequest`), then the feature's command built from the shared
 * fields by `command`.
 */
export const receiveCitizenRequest = <C, E extends UncheckedEvent, S>(
  kind: StreamKind<C, E, S>,
  id: string,
  body: CitizenRequestFields,
  command: (received: ReceivedRequest) => C,
) =>
  kind.on(id, async (preparation) => {
    await checkCitizenRequest(preparation, body);
    return command({
      departmentId: body.departmentId,
      caseId: body.caseId ?? null,
      channel: body.channel,
      receivedAt: body.at,
      now: preparation.now,
    });
  });
