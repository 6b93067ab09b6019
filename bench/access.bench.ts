// What authentication, role rules, department scoping and the access log cost per request:
// the same requests against the same national-size read model, with access control on (a
// caseworker's token verified against the issuer's key, the rule and scope checked, each read
// of a family or person logged) and off (the app built without it), in alternating rounds of
// one run.
import { copenhagenDateOf } from '@tovholder/domain/shared/copenhagen-time';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { devIssuerKeyFile, devIssuerKeys, signDevToken } from '../apps/api/src/auth/dev-issuer';
import { createApp } from '../apps/api/src/create-app';
import { HttpClients, type HttpStep } from './http-clients';
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

const DATABASE = 'bench_access';
/** Requests a side sends before the other side's turn. */
const CHUNK = 50;

interface Figure {
  p50: number;
  p99: number;
}

export async function runAccessBench(context: BenchContext): Promise<unknown> {
  const { log } = context;
  const families = Math.round(Number(process.env.BENCH_NATIONAL_FAMILIES ?? 100_000));
  const url = await createDatabase(context.connectionString, DATABASE);
  const { config } = await benchAppConfig(url);
  try {
    // Migrations first (an app start), then the read model.
    await (await createApp({ config, logger: false })).close();
    const today = copenhagenDateOf(new Date());
    const counts = await fillNationalReadModel(url, families, today);
    log(
      `read model: ${formatNumber(counts.persons)} persons in ${formatNumber(families)} families, filled with SQL (a shortcut: not projected from events)`,
    );

    // A caseworker who is the primary contact of some families: their own families and the
    // young people in them, read without a stated purpose; a command on such a person.
    const db = new Client({ connectionString: url });
    await db.connect();
    const caseworkerId = (
      await db.query<{ id: string }>(
        `SELECT primary_contact_id AS id FROM coordination_families
          WHERE primary_contact_id IS NOT NULL ORDER BY family_id LIMIT 1`,
      )
    ).rows[0]!.id;
    const familyIds = (
      await db.query<{ family_id: string }>(
        'SELECT family_id FROM coordination_families WHERE primary_contact_id = $1 LIMIT 100',
        [caseworkerId],
      )
    ).rows.map((row) => row.family_id);
    const youngIds = (
      await db.query<{ person_id: string }>(
        `SELECT t.person_id FROM transition_streams t
           JOIN coordination_members m ON m.person_id = t.person_id
           JOIN coordination_families f ON f.family_id = m.family_id
          WHERE f.primary_contact_id IS NOT NULL ORDER BY t.person_id LIMIT 100`,
      )
    ).rows.map((row) => row.person_id);
    await db.end();

    const keys = await devIssuerKeys(devIssuerKeyFile(config));
    const caseworkerToken = await signDevToken(
      keys,
      {
        subject: 'bench-caseworker',
        roles: ['caseworker'],
        departmentId: 'CBU',
        caseworkerId,
        hours: 12,
      },
      config.auth,
    );
    const youthToken = await signDevToken(
      keys,
      {
        subject: 'bench-youth-unit',
        roles: ['youth-unit'],
        departmentId: 'UNGEENHEDEN',
        hours: 12,
      },
      config.auth,
    );

    const perClient = scaled(1000, context.scale, 2 * CHUNK);
    const jobs: { name: string; token: string; steps: HttpStep[] }[] = [
      {
        name: 'family view (scoped, logged)',
        token: caseworkerToken,
        steps: familyIds.map((id) => ({
          method: 'GET',
          path: `/families/${id}`,
          expectStatus: 200,
        })),
      },
      {
        name: 'young person (scoped, logged, purpose)',
        token: youthToken,
        steps: youngIds.map((id) => ({
          method: 'GET',
          path: `/transitions/${id}`,
          expectStatus: 200,
        })),
      },
      {
        name: 'coordination flags (role only)',
        token: caseworkerToken,
        steps: [{ method: 'GET', path: '/coordination/flags?limit=20', expectStatus: 200 }],
      },
      {
        name: 'register a family (command)',
        token: caseworkerToken,
        steps: [{ method: 'POST', path: '/families', expectStatus: 201 }],
      },
    ];

    // Both apps at once on the same database (the second's projection runners stand by), their
    // requests interleaved in small chunks: whatever else the machine does hits both sides alike.
    const apps = await Promise.all(
      [true, false].map(async (accessControl) => {
        const app = await createApp({ config, logger: false, accessControl });
        await app.listen(0, '127.0.0.1');
        const { port } = (app.getHttpServer() as { address(): AddressInfo }).address();
        return { app, accessControl, url: `http://127.0.0.1:${port}` };
      }),
    );
    const best: Record<string, { on?: Figure; off?: Figure }> = {};
    const rows: string[][] = [];
    try {
      for (const job of jobs) {
        const sides = await Promise.all(
          apps.map(async ({ accessControl, url }) => ({
            side: accessControl ? ('on' as const) : ('off' as const),
            clients: await HttpClients.start(url, 1, job.token),
          })),
        );
        try {
          for (const { clients } of sides) await clients.run({ clients: [job.steps.slice(0, 50)] }); // warm-up
          for (let round = 0; round < context.rounds; round++) {
            const latencies = { on: [] as number[], off: [] as number[] };
            for (let chunk = 0; chunk < perClient / CHUNK; chunk++) {
              const steps = Array.from(
                { length: CHUNK },
                (_, i) => job.steps[(chunk * CHUNK + i) % job.steps.length]!,
              );
              for (const { side, clients } of chunk % 2 === 0 ? sides : [...sides].reverse()) {
                const result = await clients.run({ clients: [steps] });
                const failures = Object.keys(result.failures);
                if (failures.length > 0) {
                  throw new Error(
                    `${job.name} (${side}): unexpected answers ${failures.join(', ')}`,
                  );
                }
                latencies[side].push(...result.latenciesMs);
              }
            }
            for (const side of ['on', 'off'] as const) {
              const sorted = Float64Array.from(latencies[side]).sort();
              const figure = { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
              const entry = (best[job.name] ??= {});
              const previous = entry[side];
              entry[side] = previous && previous.p99 <= figure.p99 ? previous : figure; // noise only adds
              rows.push([
                job.name,
                String(round + 1),
                side,
                formatNumber(sorted.length),
                figure.p50.toFixed(2),
                figure.p99.toFixed(2),
              ]);
            }
          }
        } finally {
          await Promise.all(sides.map(({ clients }) => clients.close()));
        }
      }
    } finally {
      await Promise.all(apps.map(({ app }) => app.close()));
    }
    console.log(
      `\n== Access control: authentication, rules, scoping and the access log, on beside off (${formatNumber(families)} families; read model filled with SQL, not projected) ==`,
    );
    console.log(formatTable(['request', 'round', 'access', 'requests', 'p50 ms', 'p99 ms'], rows));
    const verdicts = Object.entries(best).map(([name, { on, off }]) => {
      const p50 = (on?.p50 ?? NaN) - (off?.p50 ?? NaN);
      const p99 = (on?.p99 ?? NaN) - (off?.p99 ?? NaN);
      return [name, p50.toFixed(2), p99.toFixed(2), '< 2', p99 < 2 ? 'target met' : 'above target'];
    });
    console.log(
      formatTable(['request', 'p50 overhead ms', 'p99 overhead ms', 'target', 'verdict'], verdicts),
    );
    const output = { families, best };
    await writeJsonResult('access', output);
    return output;
  } finally {
    await dropDatabase(context.connectionString, DATABASE);
  }
}
