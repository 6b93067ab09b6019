// The pages people read at the table, in Debian's headless Chromium: the frozen agenda's
// sections and counts match the JSON API, the minutes and a family's extract render, and each
// page is saved as a screenshot and an A4 PDF under test-output/. Reported as skipped (saying
// why) without Chromium; CI installs it.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import request from 'supertest';
import { describeWithChromium, launchBrowser, saveArtifacts } from './support/browser';
import {
  openCase,
  registerCaseworker,
  registerPerson,
  untilLogHeadReaches,
} from './support/fixtures';
import { ManualClock, startTestApp, type TestApp } from './support/test-app';

interface MeetingView {
  agenda: { sections: { section: string; items: { itemId: string; familyId: string | null }[] }[] };
}

describeWithChromium('meeting pages in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl = '';
  // Monday 2 March 2026, 09:00 in Copenhagen.
  const clock = new ManualClock(new Date('2026-03-02T08:00:00.000Z'));
  beforeAll(async () => {
    t = await startTestApp({ clock });
    browser = await launchBrowser();
    const server = t.server as Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  const post = (path: string, body: object = {}) => request(t.server).post(path).send(body);

  async function familyNeedingContact(name: string, birthDate: string) {
    const familyId = (await post('/families').expect(201)).body.familyId as string;
    const child = await registerPerson(t, birthDate, name);
    await post(`/families/${familyId}/members`, { personId: child, role: 'child' }).expect(201);
    await openCase(t, child, 'CBU', 'child-support');
    await openCase(t, child, 'CHP', 'support');
    return { familyId, child };
  }

  it('agenda, minutes and family extract: sections and counts as in the API, saved as PNG and PDF', async () => {
    const a = await familyNeedingContact('Alma Andersen', '2014-05-03');
    const b = await familyNeedingContact('Bo Berg', '2013-08-09');
    await post('/inquiries', { personId: b.child, departmentId: 'CBU', channel: 'e-mail' }).expect(
      201,
    );
    const chair = await registerCaseworker(t, 'CBU', 'Chair');
    const planned = await post('/meetings', { date: '2026-03-12' }).expect(201);
    const meetingId = planned.body.meetingId as string;
    clock.set(new Date('2026-03-06T08:00:00.000Z'));
    await untilLogHeadReaches(t, planned.body.position as string);
    const frozen = await post(`/meetings/${meetingId}/agenda/freeze`).expect(200);
    const view = (
      await request(t.server)
        .get(`/meetings/${meetingId}`)
        .query({ waitForPosition: frozen.body.position })
        .expect(200)
    ).body as MeetingView;

    const page = await browser.newPage();
    const response = await page.goto(`${baseUrl}/meetings/${meetingId}/agenda.html`);
    expect(response?.status()).toBe(200);
    expect(await page.getAttribute('html', 'lang')).toBe('da');
    for (const { section, items } of view.agenda.sections) {
      const rendered = page.locator(`section[data-section="${section}"]`);
      expect(await rendered.getAttribute('data-count')).toBe(String(items.length));
      expect(await rendered.locator('[data-item-id]').count()).toBe(items.length);
    }
    const text = await page.locator('body').innerText();
    expect(text).toContain('Dagsorden');
    expect(text).toContain('Alma Andersen'); // names are looked up for the page
    await saveArtifacts(page, 'meeting-agenda');
    // Names shown are a read of the families' data: one access-log entry for the page.
    const auditor = await t.tokenFor({ sub: 'auditor', roles: ['auditor'] });
    const log = await request(t.rawServer)
      .get('/access-log')
      .set('Authorization', `Bearer ${auditor}`)
      .expect(200);
    const pageReads = (log.body as { action: string; familyIds: string[] }[]).filter(
      (entry) => entry.action === 'GET /meetings/{meetingId}/agenda.html',
    );
    expect(pageReads).toHaveLength(1);
    expect(pageReads[0]?.familyIds).toContain(a.familyId);

    // Minutes for family A's item with an agreement, approved on the meeting day.
    const itemOfA = view.agenda.sections
      .flatMap((s) => s.items)
      .find((item) => item.familyId === a.familyId);
    expect(itemOfA).toBeDefined();
    clock.set(new Date('2026-03-12T13:00:00.000Z'));
    const itemPath = `/meetings/${meetingId}/items/${encodeURIComponent(itemOfA?.itemId ?? '')}`;
    await post(`${itemPath}/minutes`, {
      outcome: 'Primær kontakt aftales',
      decisions: ['CBU udpeger en primær kontaktsagsbehandler'],
    }).expect(200);
    await post(`/meetings/${meetingId}/agreements`, {
      itemId: itemOfA?.itemId,
      what: 'Udpeg primær kontaktsagsbehandler',
      owner: { departmentId: 'CBU' },
      dueDate: '2026-03-26',
    }).expect(201);
    const approved = await post(`/meetings/${meetingId}/approval`, { caseworkerId: chair }).expect(
      200,
    );
    const wait = `?waitForPosition=${approved.body.position}`;
    await page.goto(`${baseUrl}/meetings/${meetingId}/minutes.html${wait}`);
    expect(await page.locator('[data-agreement-id]').count()).toBe(1);
    expect(await page.locator('body').innerText()).toContain('Udpeg primær kontaktsagsbehandler');
    await saveArtifacts(page, 'meeting-minutes');

    // Family A's extract: A's item, nothing of family B.
    await page.goto(`${baseUrl}/families/${a.familyId}/minutes-extract.html${wait}`);
    const extract = await page.content();
    expect(extract).toContain('Udpeg primær kontaktsagsbehandler');
    expect(extract).not.toContain('Bo Berg');
    expect(extract).not.toContain(b.familyId);
    expect(extract).not.toContain(b.child);
    await saveArtifacts(page, 'family-minutes-extract');
    await page.close();
  });
});
