import fc from 'fast-check';
import { addCalendarDays, calendarDaysBetween } from '../shared/calendar-dates';
import { fold } from '../shared/decider';
import {
  deterministicUuid,
  dueSixteenthBirthdays,
  eighteenthBirthday,
  fnv1a128Hex,
  inTransitionScope,
  isSixteenOn,
  preparationDueEventId,
  sixteenthBirthday,
  transitionTriggerCaseIds,
} from './birthday-schedule';
import { transitionDecider } from './transition.decider';
import type { TransitionEvent } from './transition.events';

describe('sixteenthBirthday and eighteenthBirthday', () => {
  it('born 29 February: the 16th birthday is 29 February (16 years after a leap year)', () => {
    expect(sixteenthBirthday('2008-02-29')).toBe('2024-02-29');
    expect(sixteenthBirthday('2012-02-29')).toBe('2028-02-29');
    expect(sixteenthBirthday('2000-02-29')).toBe('2016-02-29');
    expect(sixteenthBirthday('1996-02-29')).toBe('2012-02-29');
  });

  it('…except across a century that is not a leap year: born 2084-02-29 turns 16 on 2100-03-01', () => {
    expect(sixteenthBirthday('2084-02-29')).toBe('2100-03-01');
    expect(sixteenthBirthday('2084-02-29', { leapDayBirthday: 'february-28' })).toBe('2100-02-28');
  });

  it('property: for births 1904–2083, 16 years after 29 February is always 29 February', () => {
    fc.assert(
      fc.property(fc.integer({ min: 476, max: 520 }), (quad) => {
        const year = quad * 4; // 1904 … 2080
        expect(sixteenthBirthday(`${year}-02-29`)).toBe(`${year + 16}-02-29`);
      }),
    );
  });

  it('born 29 February: the 18th birthday bites (2008-02-29 → 2026-03-01)', () => {
    expect(eighteenthBirthday('2008-02-29')).toBe('2026-03-01');
    expect(eighteenthBirthday('2008-02-29', { leapDayBirthday: 'february-28' })).toBe('2026-02-28');
    expect(eighteenthBirthday('2010-02-28')).toBe('2028-02-28');
  });

  it('born 31 December and 1 January', () => {
    expect(sixteenthBirthday('2008-12-31')).toBe('2024-12-31');
    expect(sixteenthBirthday('2009-01-01')).toBe('2025-01-01');
    expect(isSixteenOn('2008-12-31', '2024-12-30')).toBe(false);
    expect(isSixteenOn('2008-12-31', '2024-12-31')).toBe(true);
    expect(isSixteenOn('2008-12-31', '2000-01-01')).toBe(false);
  });
});

describe('dueSixteenthBirthdays', () => {
  const people = [
    { personId: 'a', birthDate: '2008-06-15', inScope: true, caseIds: ['c-a'] },
    { personId: 'b', birthDate: '2008-06-16', inScope: true, caseIds: ['c-b'] },
    { personId: 'c', birthDate: '2008-06-16', inScope: false, caseIds: [] },
    { personId: 'd', birthDate: '2008-06-14', inScope: true, caseIds: ['c-d'] },
    { personId: 'e', birthDate: '2008-06-17', inScope: true, caseIds: ['c-e'] },
  ];

  it('returns those in scope with a 16th birthday in (since, today], by birthday', () => {
    expect(dueSixteenthBirthdays(people, '2024-06-14', '2024-06-16')).toEqual([
      { ...people[0], sixteenthBirthday: '2024-06-15' },
      { ...people[1], sixteenthBirthday: '2024-06-16' },
    ]);
  });

  it('a daily run reports each birthday on its day', () => {
    expect(
      dueSixteenthBirthdays(people, '2024-06-13', '2024-06-14').map((p) => p.personId),
    ).toEqual(['d']);
    expect(
      dueSixteenthBirthdays(people, '2024-06-14', '2024-06-15').map((p) => p.personId),
    ).toEqual(['a']);
  });

  it('a re-run with the same since reports the same; with since = today, nothing', () => {
    const first = dueSixteenthBirthdays(people, '2024-06-14', '2024-06-16');
    expect(dueSixteenthBirthdays(people, '2024-06-14', '2024-06-16')).toEqual(first);
    expect(dueSixteenthBirthdays(people, '2024-06-16', '2024-06-16')).toEqual([]);
    expect(dueSixteenthBirthdays(people, '2024-06-20', '2024-06-16')).toEqual([]);
  });

  it('with since = null there is no lower bound (seed since before the first run)', () => {
    expect(dueSixteenthBirthdays(people, null, '2024-06-16').map((p) => p.personId)).toEqual([
      'd',
      'a',
      'b',
    ]);
  });

  it('catches up across the year end', () => {
    const yearEnd = [
      { personId: 'x', birthDate: '2008-12-31', inScope: true },
      { personId: 'y', birthDate: '2009-01-01', inScope: true },
      { personId: 'z', birthDate: '2008-12-30', inScope: true },
    ];
    expect(
      dueSixteenthBirthdays(yearEnd, '2024-12-30', '2025-01-02').map((p) => p.sixteenthBirthday),
    ).toEqual(['2024-12-31', '2025-01-01']);
  });

  it('born 29 February: reported on 29 February 2024', () => {
    const leap = [{ personId: 'l', birthDate: '2008-02-29', inScope: true }];
    expect(dueSixteenthBirthdays(leap, '2024-02-28', '2024-02-29')).toHaveLength(1);
    expect(dueSixteenthBirthdays(leap, '2024-02-29', '2024-03-01')).toHaveLength(0);
  });

  it('throws on malformed dates; the message names the person, never the date', () => {
    expect(() => dueSixteenthBirthdays(people, '2024-06-14', '2024-6-16')).toThrow(RangeError);
    expect(() => dueSixteenthBirthdays(people, '2024-13-01', '2024-06-16')).toThrow(RangeError);
    expect(() =>
      dueSixteenthBirthdays(
        [{ personId: 'bad', birthDate: '2008-02-30', inScope: true }],
        null,
        '2024-06-16',
      ),
    ).toThrow(/^Person bad has no valid birth date$/);
    // Out of scope: never looked at.
    expect(
      dueSixteenthBirthdays(
        [{ personId: 'bad', birthDate: 'x', inScope: false }],
        null,
        '2024-06-16',
      ),
    ).toEqual([]);
  });
});

describe('scope', () => {
  const relevant = new Set(['disability-support', 'placement']);

  it('is in scope with an open case of a transition-relevant type', () => {
    expect(inTransitionScope(['school-support', 'placement'], relevant)).toBe(true);
    expect(inTransitionScope(['school-support'], relevant)).toBe(false);
    expect(inTransitionScope([], relevant)).toBe(false);
  });

  it('names the trigger cases, sorted and once', () => {
    expect(
      transitionTriggerCaseIds(
        [
          { caseId: 'c-3', caseType: 'placement' },
          { caseId: 'c-1', caseType: 'school-support' },
          { caseId: 'c-2', caseType: 'disability-support' },
          { caseId: 'c-3', caseType: 'placement' },
        ],
        relevant,
      ),
    ).toEqual(['c-2', 'c-3']);
  });
});

describe('deterministic event ids', () => {
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it('FNV-1a 128 matches the published test vectors', () => {
    expect(fnv1a128Hex('')).toBe('6c62272e07bb014262b821756295c58d');
    expect(fnv1a128Hex('a')).toBe('d228cb696f1a8caf78912b704e4a8964');
  });

  it('is UUID-shaped (version nibble 5, RFC variant) and the same every time', () => {
    const id = preparationDueEventId('p-1');
    expect(id).toMatch(UUID);
    expect(preparationDueEventId('p-1')).toBe(id);
    expect(preparationDueEventId('p-2')).not.toBe(id);
    expect(deterministicUuid('')).toMatch(UUID);
  });

  it('is pinned: changing the derivation would break idempotency of stored events', () => {
    expect(preparationDueEventId('p-1')).toBe('77de9f4b-41cd-5436-b4b6-9c6d957d357b');
  });

  it('hashes UTF-8 exactly like TextEncoder', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        let hash = 0x6c62272e07bb014262b821756295c58dn;
        for (const byte of new TextEncoder().encode(text)) {
          hash ^= BigInt(byte);
          hash = (hash * 0x13bn + (hash << 88n)) & ((1n << 128n) - 1n);
        }
        expect(fnv1a128Hex(text)).toBe(hash.toString(16).padStart(32, '0'));
      }),
      { numRuns: 50 },
    );
  });

  it('no collisions among 20,000 person ids (uuid-like and sequential)', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 10_000; i += 1) {
      ids.add(preparationDueEventId(`person-${i}`));
      ids.add(
        preparationDueEventId(`${i.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`),
      );
    }
    expect(ids.size).toBe(20_000);
  });
});

describe('a simulated year of scheduler runs', () => {
  type Outcome = 'run' | 'missed' | 'crash';
  const FIRST_DAY = '2024-01-01';
  const DAYS = 366; // 2024 is a leap year
  const LAST_DAY = addCalendarDays(FIRST_DAY, DAYS - 1);
  const SEEDED_SINCE = '2023-12-31';
  const DATES = Array.from({ length: DAYS }, (_, d) => addCalendarDays(FIRST_DAY, d));

  const outcome: fc.Arbitrary<Outcome> = fc.oneof(
    { arbitrary: fc.constant<Outcome>('run'), weight: 6 },
    { arbitrary: fc.constant<Outcome>('missed'), weight: 3 },
    { arbitrary: fc.constant<Outcome>('crash'), weight: 1 },
  );
  // Births from 2007-11-01 to 2009-02-28: 16th birthdays before, in and after 2024.
  const births = fc.integer({ min: 0, max: calendarDaysBetween('2007-11-01', '2009-02-28') });
  const population = fc.array(fc.record({ birth: births, inScope: fc.boolean() }), {
    minLength: 200,
    maxLength: 200,
  });

  it('reports every 16th birthday in scope exactly once, catching up after missed days', () => {
    fc.assert(
      fc.property(
        population,
        fc.array(outcome, { minLength: DAYS, maxLength: DAYS }),
        (drawn, outcomes) => {
          const people = [
            ...drawn.map((p, i) => ({
              personId: `p-${i}`,
              birthDate: addCalendarDays('2007-11-01', p.birth),
              inScope: p.inScope,
            })),
            // Always some leap-day and year-end births.
            { personId: 'leap', birthDate: '2008-02-29', inScope: true },
            { personId: 'dec31', birthDate: '2008-12-31', inScope: true },
            { personId: 'jan1', birthDate: '2008-01-01', inScope: true },
          ];
          const byId = new Map(people.map((p) => [p.personId, p]));
          let since = SEEDED_SINCE;
          const reportedOn = new Map<string, string[]>();
          const streams = new Map<string, TransitionEvent[]>();
          const storedIds = new Set<string>();

          const record = (personId: string, birthDate: string, today: string): void => {
            const past = streams.get(personId) ?? [];
            const events = transitionDecider.decide(
              {
                type: 'RecordPreparationDue',
                personId,
                birthDate,
                triggerCaseIds: [`case-${personId}`],
                now: new Date(`${today}T05:00:00.000Z`),
              },
              fold(transitionDecider, past),
            );
            for (const event of events) {
              // The event store keeps an id once; the decider has recorded nothing twice anyway.
              const id = preparationDueEventId(personId);
              expect(storedIds.has(id)).toBe(false);
              storedIds.add(id);
              streams.set(personId, [...past, event]);
            }
          };

          for (let day = 0; day < DAYS; day += 1) {
            const today = DATES[day] ?? LAST_DAY;
            const what: Outcome = day === DAYS - 1 ? 'run' : (outcomes[day] ?? 'run');
            if (what === 'missed') continue;
            const due = dueSixteenthBirthdays(people, since, today);
            // A crash gets through half the list and does not advance `since`.
            const handled = what === 'crash' ? due.slice(0, Math.floor(due.length / 2)) : due;
            for (const person of handled) record(person.personId, person.birthDate, today);
            if (what === 'run') {
              for (const person of due) {
                reportedOn.set(person.personId, [
                  ...(reportedOn.get(person.personId) ?? []),
                  today,
                ]);
              }
              since = today;
            }
          }

          const expected = people.filter((p) => {
            const birthday = sixteenthBirthday(p.birthDate);
            return p.inScope && birthday > SEEDED_SINCE && birthday <= LAST_DAY;
          });
          // Successful runs report each expected person exactly once, and nobody else.
          expect([...reportedOn.keys()].sort()).toEqual(expected.map((p) => p.personId).sort());
          for (const [personId, days] of reportedOn) {
            expect(days).toHaveLength(1);
            const birthday = sixteenthBirthday(byId.get(personId)?.birthDate ?? '');
            // …on the first successful run on or after the birthday.
            expect(days[0]! >= birthday).toBe(true);
            const firstRun = DATES.find(
              (date, d) => date >= birthday && (d === DAYS - 1 || outcomes[d] === 'run'),
            );
            expect(days[0]).toBe(firstRun);
          }
          // And every stream holds exactly one due event, crashes notwithstanding.
          expect([...streams.keys()].sort()).toEqual(expected.map((p) => p.personId).sort());
          for (const events of streams.values()) {
            expect(events.filter((e) => e.type === 'TransitionPreparationDue')).toHaveLength(1);
          }
        },
      ),
      { numRuns: 15 },
    );
  });
});
