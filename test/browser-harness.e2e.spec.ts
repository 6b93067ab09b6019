import { foldMeetingFacts, type AgendaItem, type IdentifiedMeetingEvent } from '@tovholder/domain';
import { readFile, stat } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { pageLabelsFrom } from '../apps/api/src/meeting-pages/page-labels';
import { renderAgendaPage } from '../apps/api/src/meeting-pages/render';
import { describeWithChromium, launchBrowser, saveArtifacts } from './support/browser';

const meetingId = 'm-harness';
const item = (
  itemId: string,
  section: AgendaItem['section'],
  subject: AgendaItem['subject'],
  rest: Partial<AgendaItem> = {},
): AgendaItem => ({
  itemId,
  section,
  subject,
  familyId: null,
  personId: null,
  dueDate: null,
  flagCodes: [],
  isNew: false,
  departmentIds: ['cbu'],
  ...rest,
});

// Made-up facts: two families without a primary contact, one overdue inquiry.
const events: IdentifiedMeetingEvent[] = [
  {
    id: 'e-1',
    type: 'MeetingPlanned',
    data: {
      meetingId,
      date: '2026-11-24',
      chairDepartmentId: 'cbu',
      departmentIds: ['cbu', 'chp'],
      agendaCutOffAt: '2026-11-17T22:59:59.999Z',
      plannedAt: '2026-10-20T09:00:00.000Z',
    },
  },
  {
    id: 'e-2',
    type: 'AgendaFrozen',
    data: {
      meetingId,
      frozenAt: '2026-11-18T07:30:00.000Z',
      early: false,
      previousMeetingId: null,
      items: [
        item(
          'primary-contact-missing:f-1',
          'primary-contact-missing',
          { kind: 'family', id: 'f-1' },
          { familyId: 'f-1', dueDate: '2026-10-01', isNew: true },
        ),
        item(
          'primary-contact-missing:f-2',
          'primary-contact-missing',
          { kind: 'family', id: 'f-2' },
          { familyId: 'f-2', dueDate: '2026-10-15', isNew: true },
        ),
        item(
          'overdue-duties:inquiry:i-1',
          'overdue-duties',
          { kind: 'duty', id: 'inquiry:i-1' },
          { familyId: 'f-1', dueDate: '2026-11-10', flagCodes: ['ACK_OVERDUE'] },
        ),
      ],
    },
  },
];

const labels = pageLabelsFrom({
  department: new Map([['cbu', 'Center for Børn og Unge']]),
  family: new Map([
    ['f-1', 'Familien Hansen'],
    ['f-2', 'Familien Jensen'],
  ]),
});

describeWithChromium('browser harness: a rendered agenda in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows section counts in the DOM and saves a screenshot and an A4 PDF', async () => {
    const page = await browser.newPage();
    await page.setContent(
      renderAgendaPage(foldMeetingFacts(meetingId, events), labels, '2026-11-24'),
    );

    // Read through locators: typed without the DOM lib, which the tsconfig leaves out.
    const counts = await Promise.all(
      (await page.locator('section[data-section]').all()).map(async (section) => [
        await section.getAttribute('data-section'),
        Number(await section.getAttribute('data-count')),
        await section.locator('li.item').count(),
      ]),
    );
    expect(counts).toEqual([
      ['primary-contact-missing', 2, 2],
      ['turning-16-not-started', 0, 0],
      ['transition-flags', 0, 0],
      ['overdue-duties', 1, 1],
      ['open-agreements', 0, 0],
    ]);
    expect(await page.locator('html').getAttribute('lang')).toBe('da');
    expect(await page.getByRole('link', { name: 'Familien Hansen' }).getAttribute('href')).toBe(
      '/families/f-1',
    );
    // The navigation is for the screen only.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('nav').isVisible()).toBe(false);
    await page.emulateMedia({ media: null });
    expect(await page.locator('nav').isVisible()).toBe(true);

    const { png, pdf } = await saveArtifacts(page, 'browser-harness-agenda');
    expect((await stat(png)).size).toBeGreaterThan(1000);
    const printed = (await readFile(pdf)).toString('latin1');
    expect(printed.startsWith('%PDF-')).toBe(true);
    // A4, and a page break before every section after the first: five pages.
    expect(printed).toMatch(/\/MediaBox \[0 0 595\.9\d* 842\.8\d*\]/);
    expect(/\/Count (\d+)/.exec(printed)?.[1]).toBe('5');
    await page.close();
  });
});
