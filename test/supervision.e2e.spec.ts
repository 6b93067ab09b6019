import { drawSupervisionSample, type SupervisionCandidate } from '@tovholder/domain';
import request from 'supertest';
import { openCase, registerCaseworker, registerPerson } from './support/fixtures';
import { ManualClock, startTestApp, type TestApp } from './support/test-app';

const allYes = {
  decisionCorrect: 'yes',
  reasonsAdequate: 'yes',
  hearingDone: 'yes',
  consentObtained: 'yes',
  appealGuidanceGiven: 'yes',
  notesAdequate: 'yes',
};

interface Drawn {
  sampleId: string;
  seed: string;
  caseIds: string[];
  position: string;
}

describe('supervision over HTTP: reproducible, risk-weighted samples and their reviews', () => {
  let t: TestApp;
  // Monday 2 March 2026, 10:00 in Copenhagen.
  const clock = new ManualClock(new Date('2026-03-02T09:00:00.000Z'));
  let manager: string;
  /** UU's open cases and their flag counts, as the test made them. */
  const candidates: SupervisionCandidate[] = [];
  let risky: string;
  let closedCase: string;
  let lastPosition: string;

  beforeAll(async () => {
    t = await startTestApp({ clock });
    manager = await registerCaseworker(t, 'UU', 'Team Leader');
    const citizen = await registerPerson(t, '2008-05-17');
    // Six open cases in UU; one gets four unacknowledged inquiries (four ACK_OVERDUE flags).
    for (let i = 0; i < 6; i++) {
      const opened = await openCase(t, citizen, 'UU', 'guidance');
      candidates.push({ caseId: opened.caseId, flagCount: 0 });
      lastPosition = opened.position;
    }
    risky = candidates[0]!.caseId;
    for (let i = 0; i < 4; i++) {
      const inquiry = await request(t.server)
        .post('/inquiries')
        .send({ personId: citizen, departmentId: 'UU', caseId: risky, channel: 'phone' })
        .expect(201);
      lastPosition = inquiry.body.position as string;
    }
    candidates[0] = { caseId: risky, flagCount: 4 };
    // A closed case with flags of its own is never drawn.
    closedCase = (await openCase(t, citizen, 'UU', 'guidance')).caseId;
    await request(t.server)
      .post('/inquiries')
      .send({ personId: citizen, departmentId: 'UU', caseId: closedCase, channel: 'phone' })
      .expect(201);
    const closed = await request(t.server)
      .post(`/cases/${closedCase}/close`)
      .send({ reason: 'Done' })
      .expect(200);
    lastPosition = closed.body.position as string;
    // Three days later the inquiries' 48 hours have run out.
    clock.set(new Date('2026-03-05T09:00:00.000Z'));
    const flags = await request(t.server)
      .get('/casework/flags')
      .query({ departmentId: 'UU', code: 'ACK_OVERDUE', waitForPosition: lastPosition })
      .expect(200);
    expect(flags.body.total).toBe(5);
  });
  afterAll(async () => {
    await t.close();
  });

  const draw = (body: Record<string, unknown>) =>
    request(t.server)
      .post('/supervision/samples')
      .query({ waitForPosition: lastPosition })
      .send(body);

  it('shows the question guide', async () => {
    const guide = await request(t.server).get('/supervision/questions').expect(200);
    expect(guide.body.questions.map((q: { key: string }) => q.key)).toEqual(Object.keys(allYes));
    expect(guide.body.questions[0]).toEqual(
      expect.objectContaining({ da: expect.any(String), en: expect.any(String) }),
    );
    expect(guide.body.answers).toEqual(['yes', 'no', 'not-relevant']);
  });

  it('the same seed and candidates draw the same sample; the seed is recorded; a default seed is given', async () => {
    const first = (
      await draw({ departmentId: 'UU', size: 3, seed: 'tilsyn-2026-Q1', drawnBy: manager }).expect(
        201,
      )
    ).body as Drawn;
    const second = (
      await draw({ departmentId: 'UU', size: 3, seed: 'tilsyn-2026-Q1', drawnBy: manager }).expect(
        201,
      )
    ).body as Drawn;
    expect(second.sampleId).not.toBe(first.sampleId);
    expect(second.caseIds).toEqual(first.caseIds);
    // Exactly what the domain's draw gives for these candidates (an audit can redo it).
    expect(first.caseIds).toEqual(drawSupervisionSample(candidates, 3, 'tilsyn-2026-Q1'));
    expect(first.caseIds).not.toContain(closedCase);

    const stored = await request(t.server)
      .get(`/supervision/samples/${first.sampleId}`)
      .query({ waitForPosition: first.position })
      .expect(200);
    expect(stored.body.sample).toEqual({
      sampleId: first.sampleId,
      departmentId: 'UU',
      seed: 'tilsyn-2026-Q1',
      size: 3,
      caseIds: first.caseIds,
      drawnAt: '2026-03-05T09:00:00.000Z',
      drawnBy: manager,
    });
    expect(stored.body.reviews).toEqual([]);
    expect(stored.body.reviewSummary.reviewCount).toBe(0);

    const unseeded = (await draw({ departmentId: 'UU', size: 2, drawnBy: manager }).expect(201))
      .body as Drawn;
    expect(unseeded.seed).toMatch(/^[0-9a-f-]{36}$/);
    expect(unseeded.caseIds).toEqual(drawSupervisionSample(candidates, 2, unseeded.seed));

    // A sample larger than the team is the whole team, each case once.
    const all = (
      await draw({ departmentId: 'UU', size: 50, seed: 'all', drawnBy: manager }).expect(201)
    ).body as Drawn;
    expect([...all.caseIds].sort()).toEqual(candidates.map((c) => c.caseId).sort());
  });

  it('cases with flags are drawn more often (100 fixed seeds, each draw the same as the domain gives)', async () => {
    const times = new Map<string, number>(candidates.map((c) => [c.caseId, 0]));
    for (let i = 0; i < 100; i++) {
      const seed = `weighted-${i}`;
      const drawn = (
        await draw({ departmentId: 'UU', size: 1, seed, drawnBy: manager }).expect(201)
      ).body as Drawn;
      expect(drawn.caseIds).toEqual(drawSupervisionSample(candidates, 1, seed));
      const [caseId] = drawn.caseIds;
      times.set(caseId!, (times.get(caseId!) ?? 0) + 1);
    }
    // Weight 5 against 1 for each of the five calm cases: expected 50 draws against 10 each.
    // The case ids are new each run, so the seeds fall differently; these bounds fail with a
    // probability of about 6 in a million (binomial tail).
    const risk = times.get(risky) ?? 0;
    const calm = candidates.slice(1).map((c) => times.get(c.caseId) ?? 0);
    expect(risk).toBeGreaterThan(Math.max(...calm));
    expect(risk).toBeGreaterThan((2 * (100 - risk)) / calm.length);
    expect(times.has(closedCase)).toBe(false);
  });

  it('records reviews of sampled cases; a second review replaces the first; the summary counts', async () => {
    const reviewer = await registerCaseworker(t, 'UU', 'Reviewer');
    const sample = (
      await draw({ departmentId: 'UU', size: 2, seed: 'reviews', drawnBy: manager }).expect(201)
    ).body as Drawn;
    const [a, b] = sample.caseIds as [string, string];
    const path = `/supervision/samples/${sample.sampleId}/reviews`;
    clock.set(new Date('2026-03-06T09:00:00.000Z'));
    await request(t.server)
      .post(path)
      .send({ caseId: a, reviewerId: reviewer, answers: { ...allYes, hearingDone: 'no' } })
      .expect(200);
    await request(t.server)
      .post(path)
      .send({
        caseId: b,
        reviewerId: reviewer,
        answers: { ...allYes, consentObtained: 'not-relevant' },
      })
      .expect(200);
    clock.set(new Date('2026-03-09T09:00:00.000Z'));
    const revised = await request(t.server)
      .post(path)
      .send({ caseId: a, reviewerId: manager, answers: { ...allYes, notesAdequate: 'no' } })
      .expect(200);

    const view = await request(t.server)
      .get(`/supervision/samples/${sample.sampleId}`)
      .query({ waitForPosition: revised.body.position })
      .expect(200);
    expect(view.body.reviews).toEqual([
      {
        caseId: b,
        reviewerId: reviewer,
        answers: { ...allYes, consentObtained: 'not-relevant' },
        reviewedAt: '2026-03-06T09:00:00.000Z',
      },
      {
        caseId: a,
        reviewerId: manager,
        answers: { ...allYes, notesAdequate: 'no' },
        reviewedAt: '2026-03-09T09:00:00.000Z',
      },
    ]);
    expect(view.body.reviewSummary.reviewCount).toBe(2);
    expect(view.body.reviewSummary.questions.hearingDone).toEqual({
      yes: 2,
      no: 0,
      'not-relevant': 0,
    });
    expect(view.body.reviewSummary.questions.notesAdequate).toEqual({
      yes: 1,
      no: 1,
      'not-relevant': 0,
    });
    expect(view.body.reviewSummary.questions.consentObtained).toEqual({
      yes: 1,
      no: 0,
      'not-relevant': 1,
    });
  });

  it('refuses a review of a case not in the sample, bad answers field by field, unknown ids', async () => {
    const sample = (
      await draw({ departmentId: 'UU', size: 1, seed: 'refusals', drawnBy: manager }).expect(201)
    ).body as Drawn;
    const path = `/supervision/samples/${sample.sampleId}/reviews`;
    const outside = candidates.find((c) => !sample.caseIds.includes(c.caseId))!.caseId;
    const notInSample = await request(t.server)
      .post(path)
      .send({ caseId: outside, reviewerId: manager, answers: allYes })
      .expect(409);
    expect(notInSample.body.code).toBe('SUPERVISION.CASE_NOT_IN_SAMPLE');

    const badAnswer = await request(t.server)
      .post(path)
      .send({
        caseId: sample.caseIds[0],
        reviewerId: manager,
        answers: { ...allYes, hearingDone: 'maybe', notesAdequate: undefined },
      })
      .expect(400);
    expect(badAnswer.body.errors).toEqual([
      expect.objectContaining({ field: 'answers.hearingDone' }),
      expect.objectContaining({ field: 'answers.notesAdequate' }),
    ]);
    const extra = await request(t.server)
      .post(path)
      .send({
        caseId: sample.caseIds[0],
        reviewerId: manager,
        answers: { ...allYes, comment: 'x' },
      })
      .expect(400);
    expect(extra.body.errors).toEqual([expect.objectContaining({ field: 'answers.comment' })]);
    const missing = await request(t.server)
      .post(path)
      .send({ caseId: sample.caseIds[0], reviewerId: manager })
      .expect(400);
    expect(missing.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'answers' })]),
    );
    const unknownReviewer = await request(t.server)
      .post(path)
      .send({
        caseId: sample.caseIds[0],
        reviewerId: '7d0b7d1e-0000-4000-8000-000000000000',
        answers: allYes,
      })
      .expect(422);
    expect(unknownReviewer.body.code).toBe('CASEWORKER.UNKNOWN');

    await request(t.server)
      .post('/supervision/samples/7d0b7d1e-0000-4000-8000-000000000000/reviews')
      .send({ caseId: outside, reviewerId: manager, answers: allYes })
      .expect(404);
    await request(t.server).get('/supervision/samples/not-a-sample').expect(404);
    await request(t.server)
      .get('/supervision/samples/7d0b7d1e-0000-4000-8000-000000000000')
      .expect(404);

    const badDraw = await request(t.server)
      .post('/supervision/samples')
      .send({ departmentId: 'UU', size: 0, seed: '', drawnBy: 'me' })
      .expect(400);
    expect(badDraw.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'drawnBy',
      'seed',
      'size',
    ]);
    // A team without open cases has nothing to draw.
    const empty = await request(t.server)
      .post('/supervision/samples')
      .send({ departmentId: 'CSAE', size: 3, drawnBy: manager })
      .expect(422);
    expect(empty.body.code).toBe('SUPERVISION.NO_CANDIDATES');
  });
});
