/**
 * Printable pages of the coordination meeting, rendered on the server as pure functions of the
 * meeting's facts: the frozen agenda, the minutes, and a family's extract of the minutes.
 * Labels are Danish; `today` (a Danish calendar date) decides what is shown as overdue.
 */
import {
  AGENDA_SECTIONS,
  OTHER_ITEM_PREFIX,
  type AgendaItem,
  type AgreementFact,
  type AgreementOwner,
  type FamilyMinutesExtract,
  type ItemMinutesFact,
  type MeetingFacts,
} from '@tovholder/domain';
import { dateParts, type IsoDate } from '@tovholder/domain/shared/calendar-dates';
import {
  AGREEMENT_STATUS_TEXTS,
  danishDate,
  danishDateTime,
  flagText,
  OTHER_SECTION_TITLE,
  SECTION_TITLES,
  type AgreementDisplayStatus,
} from './danish-text';
import { markup, type SafeHtml } from './html';
import { page } from './layout';
import { labelOf, type PageLabels } from './page-labels';
import { subjectOf } from './subjects';

export type { PageLabels } from './page-labels';

/** data-section of the minutes' section for matters raised at the meeting itself. */
export const OTHER_SECTION = 'other';

// ---------------------------------------------------------------------------------------------
// Agenda
// ---------------------------------------------------------------------------------------------

/** The frozen agenda: one section per AGENDA_SECTIONS entry, items in the frozen order. */
export function renderAgendaPage(facts: MeetingFacts, labels: PageLabels, today: IsoDate): string {
  dateParts(today);
  const agenda = facts.agenda;
  const sections =
    agenda === null
      ? notFrozenNotice()
      : AGENDA_SECTIONS.map((section) =>
          sectionBlock(
            section,
            SECTION_TITLES[section],
            agenda.items
              .filter((item) => item.section === section)
              .map((item) => agendaItem(item, labels, today)),
          ),
        );
  return page({
    title: `Dagsorden – koordinationsmøde ${meetingDateText(facts)}`,
    nav: meetingNav(facts),
    today,
    body: markup`<header>
<h1>Dagsorden<span class="subtitle">Koordinationsmøde ${meetingDateText(facts)}</span></h1>
${meetingDetails(facts, labels)}
</header>
<main>${sections}</main>`,
  });
}

function agendaItem(item: AgendaItem, labels: PageLabels, today: IsoDate): SafeHtml {
  const isNew = item.isNew
    ? markup`<span class="badge" title="Nyt punkt siden sidste møde">Ny</span>`
    : null;
  const departments =
    item.departmentIds.length === 0
      ? null
      : markup`<p class="meta">Afdelinger: ${departmentNames(item.departmentIds, labels)}</p>`;
  return markup`<li class="item" data-item-id="${item.itemId}" data-new="${String(item.isNew)}">
<h3>${subjectOf(item, labels, { links: true })}${isNew}</h3>
${flagList(item.flagCodes)}
${dueLine(item, today)}
${departments}
</li>`;
}

function flagList(codes: readonly string[]): SafeHtml | null {
  if (codes.length === 0) return null;
  const flags = codes.map((code) => markup`<li data-flag="${code}">${flagText(code)}</li>`);
  return markup`<ul class="flags">${flags}</ul>`;
}

/** A family without a primary contact has waited since its date; other items are due by it. */
function dueLine(item: AgendaItem, today: IsoDate): SafeHtml | null {
  if (item.dueDate === null) return null;
  if (item.section === 'primary-contact-missing') {
    return markup`<p class="meta">Mangler siden ${danishDate(item.dueDate)}</p>`;
  }
  const overdue = today > item.dueDate;
  return markup`<p class="meta${overdue ? ' overdue' : ''}" data-due="${item.dueDate}">Frist: ${danishDate(item.dueDate)}${overdue ? ' – overskredet' : ''}</p>`;
}

// ---------------------------------------------------------------------------------------------
// Minutes
// ---------------------------------------------------------------------------------------------

/** The minutes: per item its outcome, decisions, correction and agreements. */
export function renderMinutesPage(facts: MeetingFacts, labels: PageLabels, today: IsoDate): string {
  dateParts(today);
  const agendaItems = facts.agenda?.items ?? [];
  const onAgenda = new Set(agendaItems.map((item) => item.itemId));
  const minutesOf = (itemId: string): ItemMinutesFact | null =>
    facts.minutes.find((minutes) => minutes.itemId === itemId) ?? null;
  const agreementsOf = (itemId: string): AgreementFact[] =>
    facts.agreements.filter((agreement) => agreement.itemId === itemId);
  const itemBlock = (itemId: string, subject: SafeHtml): SafeHtml =>
    markup`<li class="item" data-item-id="${itemId}">
<h3>${subject}</h3>
${minutesBlock(minutesOf(itemId))}
${agreementTable(agreementsOf(itemId), labels, today)}
</li>`;

  const agendaSections = AGENDA_SECTIONS.map((section) =>
    sectionBlock(
      section,
      SECTION_TITLES[section],
      agendaItems
        .filter((item) => item.section === section)
        .map((item) => itemBlock(item.itemId, subjectOf(item, labels, { links: true }))),
    ),
  );

  // Matters raised at the meeting: in the order first minuted, then those with agreements only.
  const otherIds = [
    ...new Set(
      [...facts.minutes.map((m) => m.itemId), ...facts.agreements.map((a) => a.itemId)].filter(
        (itemId) => itemId.startsWith(OTHER_ITEM_PREFIX) && !onAgenda.has(itemId),
      ),
    ),
  ];
  const otherSection = sectionBlock(
    OTHER_SECTION,
    OTHER_SECTION_TITLE,
    otherIds.map((itemId, index) => itemBlock(itemId, markup`Punkt ${index + 1}`)),
  );

  return page({
    title: `Referat – koordinationsmøde ${meetingDateText(facts)}`,
    nav: meetingNav(facts),
    today,
    body: markup`<header>
<h1>Referat<span class="subtitle">Koordinationsmøde ${meetingDateText(facts)}</span></h1>
${meetingDetails(facts, labels)}
${approvalLine(facts.approved?.approvedAt ?? null, facts.approved?.approvedBy ?? null, labels)}
</header>
<main>${facts.agenda === null ? notFrozenNotice() : null}${agendaSections}${otherSection}</main>`,
  });
}

function minutesBlock(minutes: ItemMinutesFact | null): SafeHtml {
  if (minutes === null) return markup`<p class="empty">Intet referat for dette punkt.</p>`;
  const { outcome, decisions, correction } = minutes;
  const corrected =
    correction === null
      ? null
      : markup`<p class="correction" data-correction="true"><strong>Rettelse</strong> efter godkendelse, ${danishDateTime(correction.correctedAt)}. Årsag: ${correction.reason}</p>`;
  const decided =
    decisions.length === 0
      ? null
      : markup`<p class="meta"><strong>Beslutninger:</strong></p>
<ul class="decisions">${decisions.map((decision) => markup`<li>${decision}</li>`)}</ul>`;
  return markup`<div class="minutes">
${corrected}
<p class="outcome"><strong>Resultat:</strong> ${outcome}</p>
${decided}
</div>`;
}

/** The status a reader sees: an open agreement past its due date is overdue (as agreementFlags). */
export function agreementDisplayStatus(
  agreement: Pick<AgreementFact, 'status' | 'dueDate'>,
  today: IsoDate,
): AgreementDisplayStatus {
  switch (agreement.status) {
    case 'open':
      return today > agreement.dueDate ? 'overdue' : 'open';
    case 'done':
    case 'cancelled':
      return agreement.status;
  }
}

function ownerName(owner: AgreementOwner, labels: PageLabels): string {
  switch (owner.kind) {
    case 'caseworker':
      return labelOf(labels, 'caseworker', owner.caseworkerId);
    case 'department':
      return labelOf(labels, 'department', owner.departmentId);
  }
}

function agreementTable(
  agreements: readonly AgreementFact[],
  labels: PageLabels,
  today: IsoDate,
): SafeHtml | null {
  if (agreements.length === 0) return null;
  const rows = agreements.map((agreement) => {
    const status = agreementDisplayStatus(agreement, today);
    const closed = agreement.closed;
    // Completed: when, and the note if any; cancelled: when, and the reason.
    const closedText =
      closed === null
        ? null
        : markup`<br>${danishDateTime(closed.at)}${closed.text === null ? null : markup`: ${closed.text}`}`;
    return markup`<tr data-agreement-id="${agreement.agreementId}" data-status="${status}">
<td>${agreement.what}</td>
<td>${ownerName(agreement.owner, labels)}</td>
<td>${danishDate(agreement.dueDate)}</td>
<td><span class="status${status === 'overdue' ? ' overdue' : ''}">${AGREEMENT_STATUS_TEXTS[status]}</span>${closedText}</td>
</tr>`;
  });
  return markup`<table class="agreements">
<caption>Aftaler</caption>
<thead><tr><th scope="col">Aftale</th><th scope="col">Ansvarlig</th><th scope="col">Frist</th><th scope="col">Status</th></tr></thead>
<tbody>${rows}</tbody>
</table>`;
}

// ---------------------------------------------------------------------------------------------
// A family's extract
// ---------------------------------------------------------------------------------------------

/**
 * What a family receives: its own items of each meeting (the extracts come from
 * minutesExtractForFamily, which leaves other families out), in the order given. The family is
 * named by `familyLabel` only (never looked up by id), and there are no links.
 */
export function renderFamilyExtractPage(
  extracts: readonly FamilyMinutesExtract[],
  familyLabel: string,
  labels: PageLabels,
  today: IsoDate,
): string {
  dateParts(today);
  const meetings = extracts.map((extract) => {
    const heading =
      extract.date === null ? 'Koordinationsmøde' : `Koordinationsmøde ${danishDate(extract.date)}`;
    const items = extract.items.map(
      ({ item, minutes, agreements }) => markup`<li class="item" data-item-id="${item.itemId}">
<h3>${SECTION_TITLES[item.section]}</h3>
<p class="meta">Om: ${subjectOf(item, labels, { links: false, familyLabel })}</p>
${flagList(item.flagCodes)}
${minutesBlock(minutes)}
${agreementTable(agreements, labels, today)}
</li>`,
    );
    const list =
      items.length === 0
        ? markup`<p class="empty">Familien havde ingen punkter på dette møde.</p>`
        : markup`<ol class="items">${items}</ol>`;
    return markup`<section class="page-section meeting" data-meeting-id="${extract.meetingId}" data-count="${items.length}">
<h2>${heading}</h2>
${approvalLine(extract.approvedAt, null, labels)}
${list}
</section>`;
  });
  const body =
    meetings.length === 0 ? markup`<p class="empty">Der er ingen referater.</p>` : meetings;
  return page({
    title: `Referat til familien – ${familyLabel}`,
    nav: null,
    today,
    body: markup`<header>
<h1>Referat fra koordinationsmøder<span class="subtitle">Familie: ${familyLabel}</span></h1>
<p>Her er de punkter fra kommunens koordinationsmøder, der handler om jeres familie: hvad der blev besluttet, og hvilke aftaler der blev lavet.</p>
</header>
<main>${body}</main>`,
  });
}

// ---------------------------------------------------------------------------------------------
// Shared parts
// ---------------------------------------------------------------------------------------------

/** A section with its count (data-section/data-count for tests), or "Ingen punkter". */
function sectionBlock(section: string, title: string, items: readonly SafeHtml[]): SafeHtml {
  const headingId = `section-${section}`;
  const list =
    items.length === 0
      ? markup`<p class="empty">Ingen punkter</p>`
      : markup`<ol class="items">${items}</ol>`;
  return markup`<section class="page-section" data-section="${section}" data-count="${items.length}" aria-labelledby="${headingId}">
<h2 id="${headingId}">${title} <span class="count">(${items.length})</span></h2>
${list}
</section>`;
}

function notFrozenNotice(): SafeHtml {
  return markup`<p class="notice">Dagsordenen er ikke låst endnu.</p>`;
}

function meetingDateText(facts: MeetingFacts): string {
  return facts.planned === null ? '(ikke planlagt)' : danishDate(facts.planned.date);
}

function departmentNames(ids: readonly string[], labels: PageLabels): string {
  return ids.map((id) => labelOf(labels, 'department', id)).join(', ');
}

function meetingDetails(facts: MeetingFacts, labels: PageLabels): SafeHtml {
  const { planned, agenda } = facts;
  if (planned === null) return markup`<p class="notice">Mødet er ikke planlagt.</p>`;
  const frozen =
    agenda === null
      ? 'Ikke låst endnu'
      : markup`${danishDateTime(agenda.frozenAt)}${agenda.early ? ' (før fristen)' : ''}`;
  return markup`<dl class="details">
<dt>Mødedato</dt><dd>${danishDate(planned.date)}</dd>
<dt>Mødeleder</dt><dd>${labelOf(labels, 'department', planned.chairDepartmentId)}</dd>
<dt>Afdelinger</dt><dd>${departmentNames(planned.departmentIds, labels)}</dd>
<dt>Frist for punkter</dt><dd>${danishDateTime(planned.agendaCutOffAt)}</dd>
<dt>Dagsorden låst</dt><dd>${frozen}</dd>
</dl>`;
}

function approvalLine(
  approvedAt: string | null,
  approvedBy: string | null,
  labels: PageLabels,
): SafeHtml {
  if (approvedAt === null) {
    return markup`<p class="notice" data-approved="false">Udkast – referatet er ikke godkendt.</p>`;
  }
  const by = approvedBy === null ? '' : ` af ${labelOf(labels, 'caseworker', approvedBy)}`;
  return markup`<p class="meta" data-approved="true">Godkendt ${danishDateTime(approvedAt)}${by}.</p>`;
}

/** Screen-only link to the meeting's JSON (the nav is hidden in print). */
function meetingNav(facts: MeetingFacts): SafeHtml {
  return markup`<a href="/meetings/${encodeURIComponent(facts.meetingId)}">Mødet som data (JSON)</a>`;
}
