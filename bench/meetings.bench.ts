// Freezing a month's coordination-meeting agenda (issue 6) on a national-size read model
// (domain.md: about 100,000 families): latency over HTTP and the extra heap it takes, beside a
// trivial GET of the same app in the same run.
//
// The read model is filled with SQL (as in the transitions section: persons, open cases,
// families, primary contacts, transition streams), plus what the agenda reads besides: the
// MISSING_PRIMARY_CONTACT flags the family-coordination projector would hold for families whose
// members' open cases span two departments without a primary contact, and unacknowledged
// inquiries (real events, folded at read time) for one person in a hundred.
import { copenhagenDateOf } from '@tovholder/domain/shared/copenhagen-time';
import { addWorkingDays } from '@tovholder/domain/shared/danish-holidays';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Client } from 'pg';
import { createApp } from '../apps/api/src/create-app';
import {
  benchAppConfig,
  createDatabase,
  dropDatabase,
  formatNumber,
  formatTable,
  percentile,
  scaled,
  writeJsonResult,
  type BenchContext,
} from './support';
import { fillNationalReadModel } from './transitions.bench';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
/** The bench's token, set when the app starts. */
let benchToken = '';

export async function addAgendaSources(
  url: string,
  today: string,
): Promise<{ flags: number; inquiries: number }> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    // In the generated data only families with a primary contact have members with cases; give
    // one in four of the families without one a member with open cases in two departments, so
    // they need one by the rule.
    await db.query(
      `INSERT INTO coordination_cases (case_id, person_id, department_id, case_type, status, opened_at, opened_event_id, birth_date)
       SELECT gen_random_uuid(), m.person_id, d.department_id, 'child-support', 'open', now(), gen_random_uuid(), p.birth_date
         FROM coordination_families f
         JOIN LATERAL (SELECT person_id FROM coordination_members WHERE family_id = f.family_id ORDER BY person_id LIMIT 1) m ON true
         JOIN persons p ON p.person_id = m.person_id
        CROSS JOIN LATERAL (SELECT ($1::text[])[1 + (get_byte(decode(md5(f.family_id::text), 'hex'), 1) + k) % 7] AS department_id
                              FROM generate_series(0, 1) k) d
        WHERE f.primary_contact_id IS NULL AND get_byte(decode(md5(f.family_id::text), 'hex'), 0) % 4 = 0`,
      [['CBU', 'CHP', 'CSAE', 'JOBCENTER', 'UNGEENHEDEN', 'UU', 'FAMILIE']],
    );
    const flags = await db.query(
      `INSERT INTO coordination_flags (family_id, code, subject_id, since, event_ids, department_ids, details)
       SELECT f.family_id, 'MISSING_PRIMARY_CONTACT', f.family_id, now() - interval '20 days', '{}',
              array_agg(DISTINCT c.department_id ORDER BY c.department_id), '{}'::jsonb
         FROM coordination_families f
         JOIN coordination_members m ON m.family_id = f.family_id
         JOIN coordination_cases c ON c.person_id = m.person_id AND c.status = 'open'
        WHERE f.primary_contact_id IS NULL
        GROUP BY f.family_id
       HAVING count(DISTINCT c.department_id) >= 2`,
    );
    const inquiries = await db.query(
      `INSERT INTO casework_records (kind, record_id, facts, last_revision, outstanding, department_id, person_id, received_at)
       SELECT 'inquiry', x.id, jsonb_build_object('inquiryId', x.id, 'personId', p.person_id, 'departmentId', x.department,
                'caseId', null, 'channel', 'e-mail',
                'received', jsonb_build_object('eventId', gen_random_uuid(),
                  'at', to_char(x.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
                'acknowledged', null, 'promise', null, 'firstPromisedBy', null, 'postponements', 0,
                'answered', null),
              0, true, x.department, p.person_id, x.at
         FROM (SELECT person_id, row_number() OVER (ORDER BY person_id) AS n FROM persons) p
        CROSS JOIN LATERAL (SELECT gen_random_uuid() AS id, ($2::text[])[1 + p.n % 5] AS department,
                                   $1::timestamptz - (3 + p.n % 27) * interval '1 day' AS at) x
        WHERE p.n % 100 = 0`,
      [today, ['CBU', 'CHP', 'JOBCENTER', 'UU', 'UNGEENHEDEN']],
    );
    await db.query('VACUUM ANALYZE');
    return { flags: flags.rowCount ?? 0, inquiries: inquiries.rowCount ?? 0 };
  } finally {
    await db.end();
  }
}

async function send(base: string, method: string, path: string, body?: object) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${benchToken}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 200)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

export async function runMeetingsBench(context: BenchContext): Promise<unknown> {
  const { log } = context;
  const families = Math.round(Number(process.env.BENCH_NATIONAL_FAMILIES ?? 100_000));
  const url = await createDatabase(context.connectionString, 'bench_meetings');
  const { config, token } = await benchAppConfig(url);
  benchToken = token;
  const app = await createApp({ config, logger: false });
  try {
    await app.listen(0, '127.0.0.1');
    const today = copenhagenDateOf(new Date());
    const filling = performance.now();
    const counts = await fillNationalReadModel(url, families, today);
    const sources = await addAgendaSources(url, today);
    log(
      `national read model for the agenda: ${formatNumber(counts.persons)} persons, ${formatNumber(sources.flags)} families missing a primary contact, ${formatNumber(sources.inquiries)} unacknowledged inquiries; filled in ${((performance.now() - filling) / 1000).toFixed(1)} s`,
    );
    const { port } = (app.getHttpServer() as { address(): AddressInfo }).address();
    const base = `http://127.0.0.1:${port}`;
    // Meetings far enough ahead to be plannable, cut-off already passed: freeze with force.
    let meetingDay = addWorkingDays(today, 5);
    const freezeOnce = async () => {
      meetingDay = addWorkingDays(meetingDay, 1);
      const planned = await send(base, 'POST', '/meetings', { date: meetingDay });
      // A month's freeze meets settled read models: wait until the previous freeze (a multi-MB
      // agenda) is projected, or its projection would be timed as part of this one.
      await send(
        base,
        'GET',
        `/meetings/${String(planned.meetingId)}?waitForPosition=${String(planned.position)}`,
      );
      gc();
      const heapBefore = process.memoryUsage().heapUsed;
      let heapPeak = heapBefore;
      const sampler = setInterval(() => {
        heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
      }, 2);
      const started = performance.now();
      const frozen = await send(
        base,
        'POST',
        `/meetings/${String(planned.meetingId)}/agenda/freeze`,
        {
          force: true,
        },
      );
      const ms = performance.now() - started;
      clearInterval(sampler);
      heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
      return {
        ms,
        extraHeapMb: (heapPeak - heapBefore) / 2 ** 20,
        items: Number(frozen.itemCount),
      };
    };
    const trivial = async () => {
      const started = performance.now();
      await send(base, 'GET', '/processing-deadlines');
      return performance.now() - started;
    };
    await freezeOnce(); // warm-up: plans, caches
    const runs = scaled(8, context.scale, 3) * context.rounds;
    const freezes: { ms: number; extraHeapMb: number; items: number }[] = [];
    const baseline: number[] = [];
    for (let i = 0; i < runs; i++) {
      freezes.push(await freezeOnce());
      for (let j = 0; j < 5; j++) baseline.push(await trivial());
    }
    const sorted = (values: number[]) => Float64Array.from(values).sort();
    const latency = sorted(freezes.map((f) => f.ms));
    const heap = sorted(freezes.map((f) => f.extraHeapMb));
    const result = {
      families,
      items: freezes[0]?.items ?? 0,
      freezeP50: percentile(latency, 50),
      freezeMax: latency[latency.length - 1] ?? 0,
      extraHeapMbMax: heap[heap.length - 1] ?? 0,
      trivialP50: percentile(sorted(baseline), 50),
    };
    console.log(
      `\n== Meetings: freezing a month's agenda on a national-size read model (${formatNumber(families)} families) ==`,
    );
    console.log(
      formatTable(
        [
          'agenda items',
          'freezes',
          'freeze p50 ms',
          'freeze max ms',
          'extra heap max MB',
          'trivial GET p50 ms',
        ],
        [
          [
            formatNumber(result.items),
            String(runs),
            result.freezeP50.toFixed(0),
            result.freezeMax.toFixed(0),
            result.extraHeapMbMax.toFixed(1),
            result.trivialP50.toFixed(1),
          ],
        ],
      ),
    );
    console.log(
      formatTable(
        ['ratio', 'value', 'target', 'verdict'],
        [
          [
            'freeze max (ms)',
            result.freezeMax.toFixed(0),
            '< 1000',
            result.freezeMax < 1000 ? 'target met' : 'below target',
          ],
          [
            'extra heap max (MB)',
            result.extraHeapMbMax.toFixed(1),
            '< 200',
            result.extraHeapMbMax < 200 ? 'target met' : 'below target',
          ],
          [
            'freeze p50 / trivial GET p50',
            (result.freezeP50 / result.trivialP50).toFixed(0),
            '-',
            '-',
          ],
        ],
      ),
    );
    await writeJsonResult('meetings', result);
    return result;
  } finally {
    await app.close();
    await dropDatabase(context.connectionString, 'bench_meetings');
  }
}
