import {
  foldMeetingFacts,
  minutesExtractForFamily,
  type AgendaItem,
  type IdentifiedMeetingEvent,
  type MeetingEvent,
} from '@tovholder/domain';
import { danishDate, danishDateTime, flagText } from './danish-text';
import { escapeHtml } from './html';
import { pageLabelsFrom } from './page-labels';
import { renderAgendaPage, renderFamilyExtractPage, renderMinutesPage } from './render';

const meetingId = 'm-1';
const today = '2026-11-24';
const otherItemId = 'other:0b6c3f4e-2a51-4c1e-9d3a-7f2e8b9c1d00';

const item = (overrides: Partial<AgendaItem> & Pick<AgendaItem, 'itemId'>): AgendaItem => {
  const [section, ...rest] = overrides.itemId.split(':');
  const kinds = {
    'primary-contact-missing': 'family',
    'turning-16-not-started': 'young-person',
    'transition-flags': 'young-person',
    'overdue-duties': 'duty',
    'open-agreements': 'agreement',
  } as const;
  const known = section as keyof typeof kinds;
  return {
    section: known,
    subject: { kind: kinds[known], id: rest.join(':') },
    familyId: null,
    personId: null,
    dueDate: null,
    flagCodes: [],
    isNew: false,
    departmentIds: ['cbu'],
    ...overrides,
  };
};

const items: AgendaItem[] = [
  item({
    itemId: 'primary-contact-missing:f-1',
    familyId: 'f-1',
    dueDate: '2026-10-01',
    flagCodes: ['MISSING_PRIMARY_CONTACT'],
    isNew: true,
  }),
  item({
    itemId: 'turning-16-not-started:p-1',
    familyId: 'f-1',
    personId: 'p-1',
    dueDate: '2026-11-01',
    flagCodes: ['NOT_STARTED'],
    departmentIds: ['cbu', 'chp'],
  }),
  item({
    itemId: 'overdue-duties:inquiry:i-2',
    familyId: 'f-2',
    personId: 'p-2',
    dueDate: '2026-11-10',
    flagCodes: ['ACK_OVERDUE', 'SOMETHING_NEW'],
  }),
  item({
    itemId: 'overdue-duties:file-access:fa-2',
    familyId: 'f-2',
    personId: 'p-2',
    dueDate: '2026-11-12',
    flagCodes: ['FILE_ACCESS_OVERDUE'],
    isNew: true,
  }),
  item({
    itemId: 'open-agreements:a-0',
    familyId: 'f-2',
    dueDate: '2026-11-01',
    flagCodes: ['AGREEMENT_OVERDUE'],
  }),
];

let sequence = 0;
const event = (e: MeetingEvent): IdentifiedMeetingEvent => ({ ...e, id: `e-${++sequence}` });
const agreement = (
  agreementId: string,
  itemId: string,
  what: string,
  dueDate: string,
  familyId: string | null,
  personId: string | null = null,
): IdentifiedMeetingEvent =>
  event({
    type: 'AgreementMade',
    data: {
      meetingId,
      agreementId,
      itemId,
      what,
      owner: { kind: 'caseworker', caseworkerId: 'cw-1' },
      dueDate,
      familyId,
      personId,
      madeAt: '2026-11-24T10:00:00.000Z',
    },
  });

const events: IdentifiedMeetingEvent[] = [
  event({
    type: 'MeetingPlanned',
    data: {
      meetingId,
      date: '2026-11-24',
      chairDepartmentId: 'cbu',
      departmentIds: ['cbu', 'chp'],
      agendaCutOffAt: '2026-11-17T22:59:59.999Z',
      plannedAt: '2026-10-20T09:00:00.000Z',
    },
  }),
  event({
    type: 'AgendaFrozen',
    data: {
      meetingId,
      frozenAt: '2026-11-18T07:30:00.000Z',
      early: false,
      previousMeetingId: 'm-0',
      items,
    },
  }),
  event({
    type: 'ItemMinutesRecorded',
    data: {
      meetingId,
      itemId: 'turning-16-not-started:p-1',
      outcome: 'CHP starter forberedelsen',
      decisions: ['Voksensagsbehandler udpeges', 'Møde med familien i december'],
      recordedAt: '2026-11-24T10:00:00.000Z',
    },
  }),
  event({
    type: 'ItemMinutesRecorded',
    data: {
      meetingId,
      itemId: 'overdue-duties:inquiry:i-2',
      outcome: 'Jensen-sagen: svar sendes i dag',
      decisions: [],
      recordedAt: '2026-11-24T10:05:00.000Z',
    },
  }),
  event({
    type: 'ItemMinutesRecorded',
    data: {
      meetingId,
      itemId: otherItemId,
      outcome: 'Ny mødeplan for foråret',
      decisions: [],
      recordedAt: '2026-11-24T10:10:00.000Z',
    },
  }),
  agreement(
    'a-open',
    'turning-16-not-started:p-1',
    'Indkalde til overgangsmøde',
    '2026-12-01',
    'f-1',
    'p-1',
  ),
  agreement('a-late', 'turning-16-not-started:p-1', 'Sende ungeplan', '2026-11-20', 'f-1', 'p-1'),
  agreement(
    'a-done',
    'overdue-duties:inquiry:i-2',
    'Jensen-svar sendes',
    '2026-11-25',
    'f-2',
    'p-2',
  ),
  agreement('a-cancel', 'overdue-duties:inquiry:i-2', 'Jensen-møde', '2026-11-25', 'f-2', 'p-2'),
  event({
    type: 'MinutesApproved',
    data: { meetingId, approvedAt: '2026-11-24T13:30:00.000Z', approvedBy: 'cw-1' },
  }),
  event({
    type: 'MinutesCorrected',
    data: {
      meetingId,
      itemId: 'turning-16-not-started:p-1',
      outcome: 'CHP og jobcentret starter forberedelsen',
      decisions: ['Voksensagsbehandler udpeges'],
      reason: 'Jobcentret var udeladt',
      correctedAt: '2026-11-25T08:00:00.000Z',
    },
  }),
  event({
    type: 'AgreementCompleted',
    data: {
      meetingId,
      agreementId: 'a-done',
      completedAt: '2026-11-24T15:00:00.000Z',
      note: 'Sendt',
    },
  }),
  event({
    type: 'AgreementCancelled',
    data: {
      meetingId,
      agreementId: 'a-cancel',
      reason: 'Ikke længere nødvendigt',
      cancelledAt: '2026-11-24T15:05:00.000Z',
    },
  }),
];

const facts = foldMeetingFacts(meetingId, events);
const labels = pageLabelsFrom({
  department: new Map([
    ['cbu', 'Center for Børn og Unge'],
    ['chp', 'Center for Handicap og Psykiatri'],
  ]),
  family: new Map([
    ['f-1', 'Familien Hansen'],
    ['f-2', 'Familien Jensen'],
  ]),
  person: new Map([
    ['p-1', 'Emma Hansen'],
    ['p-2', 'Noah Jensen'],
  ]),
  caseworker: new Map([['cw-1', 'Ane Sagsbehandler']]),
});

/** [data-section, data-count] in document order. */
const sectionCounts = (page: string): [string, number][] =>
  [...page.matchAll(/data-section="([^"]+)" data-count="(\d+)"/g)].map((m) => [
    m[1] ?? '',
    Number(m[2]),
  ]);
const itemIds = (page: string): string[] =>
  [...page.matchAll(/data-item-id="([^"]+)"/g)].map((m) => m[1] ?? '');
const statuses = (page: string): Record<string, string> =>
  Object.fromEntries(
    [...page.matchAll(/data-agreement-id="([^"]+)" data-status="([^"]+)"/g)].map(
      (m): [string, string] => [m[1] ?? '', m[2] ?? ''],
    ),
  );

describe('escapeHtml', () => {
  it('escapes markup and both quotes', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;',
    );
  });
});

describe('Danish text', () => {
  it('writes dates and Danish times', () => {
    expect(danishDate('2026-11-24')).toBe('24. november 2026');
    expect(danishDate('2027-01-05')).toBe('5. januar 2027');
    expect(danishDateTime('2026-11-24T13:30:00.000Z')).toBe('24. november 2026 kl. 14.30');
    // Summer time, and an instant just before midnight UTC that is the next day in Denmark.
    expect(danishDateTime('2026-06-30T22:05:00.000Z')).toBe('1. juli 2026 kl. 00.05');
  });

  it('shows unknown flag codes as they are', () => {
    expect(flagText('NOTE_MISSING')).toBe('Notat mangler');
    expect(flagText('SOMETHING_NEW')).toBe('SOMETHING_NEW');
    expect(flagText('toString')).toBe('toString');
  });
});

describe('renderAgendaPage', () => {
  const page = renderAgendaPage(facts, labels, today);

  it('is a self-contained Danish document with a print stylesheet', () => {
    expect(page).toMatch(/^<!doctype html>\n<html lang="da">/);
    expect(page).toContain('<meta charset="utf-8">');
    expect(page).toContain('<meta name="viewport"');
    expect(page).toContain('@page { size: A4; margin: 18mm; }');
    expect(page).toContain('break-before: page');
    expect(page).not.toMatch(/<script|<link|src=|@import|url\(/i);
  });

  it('has one section per agenda section, in order, with counts; empty ones say so', () => {
    expect(sectionCounts(page)).toEqual([
      ['primary-contact-missing', 1],
      ['turning-16-not-started', 1],
      ['transition-flags', 0],
      ['overdue-duties', 2],
      ['open-agreements', 1],
    ]);
    const transitions = page.slice(
      page.indexOf('data-section="transition-flags"'),
      page.indexOf('data-section="overdue-duties"'),
    );
    expect(transitions).toContain('Ingen punkter');
    expect(itemIds(page)).toEqual(items.map((i) => i.itemId));
  });

  it('shows the meeting, what each item is about, flags in Danish, due dates and new items', () => {
    expect(page).toContain('Koordinationsmøde 24. november 2026');
    expect(page).toContain('<dt>Mødeleder</dt><dd>Center for Børn og Unge</dd>');
    expect(page).toContain('Center for Børn og Unge, Center for Handicap og Psykiatri');
    expect(page).toContain('17. november 2026 kl. 23.59');
    expect(page).toContain('18. november 2026 kl. 08.30');
    expect(page).toContain('<a href="/families/f-1">Familien Hansen</a>');
    expect(page).toContain('<a href="/transitions/p-1">Emma Hansen</a>');
    expect(page).toContain('<a href="/inquiries/i-2">Henvendelse</a> · Noah Jensen');
    expect(page).toContain('<a href="/file-access-requests/fa-2">Aktindsigt</a>');
    expect(page).toContain(
      '<li data-flag="ACK_OVERDUE">Kvittering for henvendelsen er forsinket</li>',
    );
    expect(page).toContain('<li data-flag="SOMETHING_NEW">SOMETHING_NEW</li>');
    expect(page).toContain('Mangler siden 1. oktober 2026');
    expect(page).toContain('Frist: 10. november 2026 – overskredet');
    expect([...page.matchAll(/data-new="true"/g)]).toHaveLength(2);
    expect([...page.matchAll(/>Ny<\/span>/g)]).toHaveLength(2);
  });

  it('says when the agenda is not frozen yet', () => {
    const notFrozen = foldMeetingFacts(meetingId, events.slice(0, 1));
    const draft = renderAgendaPage(notFrozen, labels, today);
    expect(draft).toContain('Dagsordenen er ikke låst endnu.');
    expect(sectionCounts(draft)).toEqual([]);
  });

  it('falls back to ids for names it does not know', () => {
    const bare = renderAgendaPage(facts, pageLabelsFrom({}), today);
    expect(bare).toContain('<a href="/families/f-1">f-1</a>');
    expect(bare).toContain('<dt>Mødeleder</dt><dd>cbu</dd>');
  });

  it('escapes every value from labels and facts', () => {
    const hostile = `<script>alert("x")</script>`;
    const evil = pageLabelsFrom({
      family: new Map([['f-1', hostile]]),
      department: new Map([['cbu', `" onmouseover="x`]]),
    });
    const hostileFacts = foldMeetingFacts(meetingId, [
      ...events.slice(0, 1),
      event({
        type: 'AgendaFrozen',
        data: {
          meetingId,
          frozenAt: '2026-11-18T07:30:00.000Z',
          early: true,
          previousMeetingId: null,
          items: [
            item({ itemId: 'primary-contact-missing:f-1', familyId: 'f-1' }),
            item({ itemId: 'overdue-duties:inquiry:"><b>', familyId: 'f-1', flagCodes: ['<i>'] }),
          ],
        },
      }),
    ]);
    const escaped = renderAgendaPage(hostileFacts, evil, today);
    expect(escaped).not.toContain('<script>');
    expect(escaped).not.toContain('"><b>');
    expect(escaped).not.toContain('" onmouseover="x');
    expect(escaped).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(escaped).toContain('data-item-id="overdue-duties:inquiry:&quot;&gt;&lt;b&gt;"');
    expect(escaped).toContain('<a href="/inquiries/%22%3E%3Cb%3E">Henvendelse</a>');
    expect(escaped).toContain('<li data-flag="&lt;i&gt;">&lt;i&gt;</li>');
    expect(escaped).toContain('(før fristen)');
  });
});

describe('renderMinutesPage', () => {
  const page = renderMinutesPage(facts, labels, today);

  it('lists outcomes and decisions per item, with the matters raised at the meeting last', () => {
    expect(sectionCounts(page)).toEqual([
      ['primary-contact-missing', 1],
      ['turning-16-not-started', 1],
      ['transition-flags', 0],
      ['overdue-duties', 2],
      ['open-agreements', 1],
      ['other', 1],
    ]);
    expect(itemIds(page)).toEqual([...items.map((i) => i.itemId), otherItemId]);
    expect(page).toContain('<strong>Resultat:</strong> Jensen-sagen: svar sendes i dag');
    expect(page).toContain('<li>Voksensagsbehandler udpeges</li>');
    expect(page).toContain('Ny mødeplan for foråret');
    expect(page).toContain('Intet referat for dette punkt.');
    expect(page).toContain('Godkendt 24. november 2026 kl. 14.30 af Ane Sagsbehandler.');
  });

  it('marks a correction as one, with its reason and time, and shows the corrected text', () => {
    expect(page).toContain(
      '<strong>Rettelse</strong> efter godkendelse, 25. november 2026 kl. 09.00. Årsag: Jobcentret var udeladt',
    );
    expect(page).toContain('CHP og jobcentret starter forberedelsen');
    expect(page).not.toContain('Møde med familien i december');
    expect([...page.matchAll(/data-correction="true"/g)]).toHaveLength(1);
  });

  it('shows agreements with owner, due date and status, overdue when open past the due date', () => {
    expect(statuses(page)).toEqual({
      'a-open': 'open',
      'a-late': 'overdue',
      'a-done': 'done',
      'a-cancel': 'cancelled',
    });
    expect(page).toContain('<span class="status">Åben</span>');
    expect(page).toContain('<span class="status overdue">Overskredet</span>');
    expect(page).toContain(
      '<span class="status">Udført</span><br>24. november 2026 kl. 16.00: Sendt',
    );
    expect(page).toContain(
      '<span class="status">Annulleret</span><br>24. november 2026 kl. 16.05: Ikke længere nødvendigt',
    );
    expect(page).toContain('<td>Ane Sagsbehandler</td>');
    expect(page).toContain('<td>1. december 2026</td>');
    // On its due date an agreement is still on time.
    expect(statuses(renderMinutesPage(facts, labels, '2026-11-20'))['a-late']).toBe('open');
  });

  it('says when the minutes are a draft', () => {
    const draft = renderMinutesPage(foldMeetingFacts(meetingId, events.slice(0, 9)), labels, today);
    expect(draft).toContain('data-approved="false"');
    expect(draft).toContain('Udkast – referatet er ikke godkendt.');
  });
});

describe('renderFamilyExtractPage', () => {
  const extract = minutesExtractForFamily(facts, 'f-1');
  const page = renderFamilyExtractPage([extract], 'Familien Hansen', labels, today);

  it("contains the family's own items only, never another family's", () => {
    expect(itemIds(page)).toEqual(['primary-contact-missing:f-1', 'turning-16-not-started:p-1']);
    expect(page).toContain('Familie: Familien Hansen');
    expect(page).toContain('Emma Hansen');
    expect(page).toContain('CHP og jobcentret starter forberedelsen');
    expect(statuses(page)).toEqual({ 'a-open': 'open', 'a-late': 'overdue' });
    expect(page).not.toMatch(/Jensen|f-2|p-2|i-2|Ny mødeplan/);
    expect(page).not.toContain('<a ');
  });

  it("renders the other family's extract without the first family", () => {
    const other = renderFamilyExtractPage(
      [minutesExtractForFamily(facts, 'f-2')],
      'Familien Jensen',
      labels,
      today,
    );
    expect(statuses(other)).toEqual({ 'a-done': 'done', 'a-cancel': 'cancelled' });
    expect(other).toContain('Henvendelse · Noah Jensen');
    expect(other).not.toMatch(/Hansen|f-1|p-1/);
  });

  it('says when a meeting had nothing for the family, or there are no minutes', () => {
    const none = renderFamilyExtractPage(
      [minutesExtractForFamily(facts, 'f-9')],
      'Familien Holm',
      labels,
      today,
    );
    expect(none).toContain('Familien havde ingen punkter på dette møde.');
    expect(renderFamilyExtractPage([], 'Familien Holm', labels, today)).toContain(
      'Der er ingen referater.',
    );
  });
});
