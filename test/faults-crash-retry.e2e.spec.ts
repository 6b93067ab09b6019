// Issue 14, part 4: the API process is killed after a command's append and before its answer.
// Its Idempotency-Key must not stay stuck: after the lease (1 s here) a retry with the same key
// gets the command's answer, and the events are stored once.
import { caseStream } from '@tovholder/domain';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@tovholder/event-store';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import request from 'supertest';
import { openCase, registerCaseworker, registerPerson } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

interface ChildApi {
  readonly process: ChildProcessWithoutNullStreams;
  readonly url: string;
  /** Resolves when the child prints this line. */
  line(expected: string): Promise<void>;
}

async function startChildApi(databaseUrl: string, masterKey: string, mode = ''): Promise<ChildApi> {
  const child = spawn(
    process.execPath,
    [
      '-r',
      '@swc-node/register',
      resolve(__dirname, 'support/api.child.ts'),
      databaseUrl,
      masterKey,
      mode,
    ],
    { env: { ...process.env, SWC_NODE_PROJECT: resolve(__dirname, '../tsconfig.json') } },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines: string[] = [];
  const waiting: { expected: string; done: () => void }[] = [];
  createInterface({ input: child.stdout }).on('line', (text) => {
    lines.push(text);
    for (const waiter of waiting.filter((w) => text.startsWith(w.expected))) waiter.done();
  });
  const line = (expected: string) =>
    new Promise<void>((done, fail) => {
      if (lines.some((text) => text.startsWith(expected))) return done();
      waiting.push({ expected, done });
      child.once('exit', () => fail(new Error(`child exited before "${expected}": ${stderr}`)));
    });
  await line('PORT ');
  const port = lines.find((text) => text.startsWith('PORT '))?.slice(5);
  return { process: child, url: `http://127.0.0.1:${port}`, line };
}

async function kill(child: ChildApi): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  const exited = new Promise((done) => child.process.once('exit', done));
  child.process.kill('SIGKILL');
  await exited;
}

/** Retries while the key is in progress (its lease has not run out); nothing else may come. */
async function untilAnswered(send: () => request.Test): Promise<request.Response> {
  let answer = await send();
  for (let waited = 0; answer.status === 409 && waited < 10_000; waited += 250) {
    await new Promise((done) => setTimeout(done, 250));
    answer = await send();
  }
  expect(answer.status).not.toBe(409);
  return answer;
}

async function allEvents(store: EventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (let page = await store.readAll(null, 1000); page.length > 0;) {
    events.push(...page);
    page = await store.readAll(page[page.length - 1]!.position, 1000);
  }
  return events;
}

describe('a crash mid-command, then a retry with the same Idempotency-Key', () => {
  let t: TestApp;
  const masterKey = randomBytes(32);
  const children: ChildApi[] = [];
  beforeAll(async () => {
    t = await startTestApp({ config: { personData: { masterKey } } });
  });
  afterAll(async () => {
    for (const child of children) await kill(child);
    await t.close();
  }, 60_000);

  /**
   * Sends the request to an API that dies after its first append to a case stream (killed before
   * it answers), then starts a healthy API on the same database for the retries.
   */
  async function diesAfterAppend(send: (url: string) => request.Test): Promise<ChildApi> {
    const dying = await startChildApi(
      t.databaseUrl,
      masterKey.toString('hex'),
      'hang-after-append',
    );
    children.push(dying);
    const unanswered = send(dying.url).then(
      () => 'answered',
      () => 'cut off',
    );
    await dying.line('APPENDED');
    await kill(dying);
    expect(await unanswered).toBe('cut off');
    const survivor = await startChildApi(t.databaseUrl, masterKey.toString('hex'));
    children.push(survivor);
    return survivor;
  }

  it('frees the key after the lease and answers the command once, never twice', async () => {
    const personId = await registerPerson(t, '2012-02-02');
    const caseworkerId = await registerCaseworker(t, 'CHP', 'Bo');
    const { caseId } = await openCase(t, personId, 'CHP');
    const key = `crash-${randomUUID()}`;

    const survivor = await diesAfterAppend((url) =>
      request(url)
        .post(`/cases/${caseId}/caseworker`)
        .set('Idempotency-Key', key)
        .send({ caseworkerId }),
    );
    const retry = () =>
      request(survivor.url)
        .post(`/cases/${caseId}/caseworker`)
        .set('Idempotency-Key', key)
        .send({ caseworkerId });
    const answer = await untilAnswered(retry);
    expect(answer.status).toBe(200);
    const replay = await retry();
    expect(replay.status).toBe(200);
    expect(replay.headers['idempotency-replayed']).toBe('true');
    expect(replay.body).toEqual(answer.body);

    const stream = await t.app.get<EventStore>(EVENT_STORE).readStream(caseStream(caseId));
    expect(stream.filter((event) => event.type === 'CaseworkerAssigned')).toHaveLength(1);
  }, 90_000);

  it('a creation whose process died is retried into the same record, not a second one', async () => {
    const personId = await registerPerson(t, '2011-03-03');
    const key = `crash-open-${randomUUID()}`;
    const body = { personId, departmentId: 'CHP', caseType: 'crash-open' };

    const survivor = await diesAfterAppend((url) =>
      request(url).post('/cases').set('Idempotency-Key', key).send(body),
    );
    const answer = await untilAnswered(() =>
      request(survivor.url).post('/cases').set('Idempotency-Key', key).send(body),
    );
    expect(answer.status).toBe(201);

    const opened = (await allEvents(t.app.get<EventStore>(EVENT_STORE))).filter(
      (event) => event.type === 'CaseOpened' && event.data.personId === personId,
    );
    expect(opened.map((event) => event.streamId)).toEqual([caseStream(answer.body.caseId)]);
  }, 90_000);
});
