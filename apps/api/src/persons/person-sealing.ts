import type { Worker } from 'node:worker_threads';
import { cprSearchHash, newDataKey, sealField, wrapDataKey, type MasterKey } from './person-crypto';
import { workerBeside } from '../shared/worker-beside';

/** A new person's CPR number and name, to be sealed under a fresh data key of their own. */
export interface UnsealedPerson {
  readonly personId: string;
  readonly cpr: string;
  readonly name: string;
}

/**
 * A batch's sealed columns in the batch's order, each value as hex: strings cross from a worker
 * thread cheaply, and the registry writes them as COPY rows or as `bytea[]` literals.
 */
export interface SealedColumns {
  readonly cprSealed: readonly string[];
  readonly nameSealed: readonly string[];
  readonly wrappedKeys: readonly string[];
}

/** The sealed columns of no one. */
export const NOTHING_SEALED: SealedColumns = { cprSealed: [], nameSealed: [], wrappedKeys: [] };

/** Each person's fresh data key wrapped by the master key, and their CPR number and name sealed. */
export function sealPersons(master: MasterKey, persons: readonly UnsealedPerson[]): SealedColumns {
  const cprSealed: string[] = [];
  const nameSealed: string[] = [];
  const wrappedKeys: string[] = [];
  for (const { personId, cpr, name } of persons) {
    const dataKey = newDataKey();
    cprSealed.push(sealField(dataKey, personId, 'cpr', cpr).toString('hex'));
    nameSealed.push(sealField(dataKey, personId, 'name', name).toString('hex'));
    wrappedKeys.push(wrapDataKey(master, personId, dataKey).toString('hex'));
    dataKey.fill(0);
  }
  return { cprSealed, nameSealed, wrappedKeys };
}

/** The search hashes of normalised CPR numbers, as hex (see `cprSearchHash`). */
export function searchHashes(master: MasterKey, cprs: readonly string[]): string[] {
  return cprs.map((cpr) => cprSearchHash(master, cpr).toString('hex'));
}

/**
 * `{\\x…,\\x…}` from hex values: a `bytea[]` literal, each element's backslash escaped as an array
 * literal needs (what the driver makes of an array of buffers, in one join rather than element
 * by element).
 */
export function byteaArray(hexValues: readonly string[]): string {
  return hexValues.length === 0 ? '{}' : `{\\\\x${hexValues.join(',\\\\x')}}`;
}

/** The worker's start: the master key's parts (a Buffer crosses as a plain Uint8Array). */
export interface SealingWorkerData {
  readonly id: string;
  readonly wrappingKey: Uint8Array;
  readonly searchKey: Uint8Array;
}

/** Persons to seal, or CPR numbers (normalised) to hash. */
export type SealingRequest =
  | { readonly request: number; readonly persons: readonly UnsealedPerson[] }
  | { readonly request: number; readonly cprs: readonly string[] };

export type SealingAnswer =
  | { readonly request: number; readonly sealed: SealedColumns }
  | { readonly request: number; readonly hashes: readonly string[] };

/** A request sent to the worker: answered by it, or done here if the worker stops. */
interface Waiting {
  answered(answer: SealingAnswer): void;
  inThread(): void;
}

/** Smaller batches (the API's one registration) are sealed in the calling thread. */
const WORKER_FROM_PERSONS = 200;

/**
 * Seals large batches (the import's) on a worker thread of its own, so the thread that plans the
 * import's events goes on meanwhile: sealing is most of what registering a person costs in Node.
 * A worker that cannot start or stops seals nothing wrong: its batches are sealed here instead.
 */
export class PersonSealer {
  private worker: Worker | null = null;
  private workerFailed = false;
  private readonly waiting = new Map<number, Waiting>();
  private nextRequest = 0;

  constructor(
    private readonly master: MasterKey,
    private readonly onWorkerFailure: (reason: string) => void,
  ) {}

  seal(persons: readonly UnsealedPerson[]): Promise<SealedColumns> {
    const worker = persons.length >= WORKER_FROM_PERSONS ? this.sealingWorker() : null;
    if (!worker) return Promise.resolve(sealPersons(this.master, persons));
    return this.sealOn(worker, persons);
  }

  /**
   * The CPR numbers' search hashes (hex), a large batch's on the worker as well: a keyed hash
   * each, which the thread planning the import's events would otherwise compute.
   */
  async hash(cprs: readonly string[]): Promise<readonly string[]> {
    const worker = cprs.length >= WORKER_FROM_PERSONS ? this.sealingWorker() : null;
    if (!worker) return searchHashes(this.master, cprs);
    return this.ask(
      worker,
      { request: this.nextRequest++, cprs },
      (answer) => ('hashes' in answer ? answer.hashes : undefined),
      () => searchHashes(this.master, cprs),
    );
  }

  /** Starts the worker ahead of the first large batch; settles once it answers. */
  async start(): Promise<void> {
    const worker = this.sealingWorker();
    if (worker) await this.sealOn(worker, []);
  }

  private sealOn(worker: Worker, persons: readonly UnsealedPerson[]): Promise<SealedColumns> {
    return this.ask(
      worker,
      { request: this.nextRequest++, persons },
      (answer) => ('sealed' in answer ? answer.sealed : undefined),
      () => sealPersons(this.master, persons),
    );
  }

  /** Sends the request to the worker; what it answers is `read`, else it is done `inThread`. */
  private ask<Result>(
    worker: Worker,
    request: SealingRequest,
    read: (answer: SealingAnswer) => Result | undefined,
    inThread: () => Result,
  ): Promise<Result> {
    const result = new Promise<Result>((resolve) => {
      this.waiting.set(request.request, {
        answered: (answer) => resolve(read(answer) ?? inThread()),
        inThread: () => resolve(inThread()),
      });
    });
    worker.ref();
    worker.postMessage(request);
    return result;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  private sealingWorker(): Worker | null {
    if (this.worker || this.workerFailed) return this.worker;
    let worker: Worker;
    try {
      worker = workerBeside(__filename, 'person-sealing', {
        id: this.master.id,
        wrappingKey: this.master.wrappingKey,
        searchKey: this.master.searchKey,
      } satisfies SealingWorkerData);
    } catch (error) {
      this.workerFailed = true;
      this.onWorkerFailure(error instanceof Error ? error.name : 'unknown error');
      return null;
    }
    worker.on('message', (answer: SealingAnswer) => {
      this.waiting.get(answer.request)?.answered(answer);
      this.waiting.delete(answer.request);
      if (this.waiting.size === 0) worker.unref();
    });
    worker.on('error', (error) => this.workerStopped(worker, error.name));
    worker.on('exit', (code) => this.workerStopped(worker, `exit code ${code}`));
    this.worker = worker;
    return worker;
  }

  /** Batches the worker did not answer are sealed here, as every later one. */
  private workerStopped(worker: Worker, reason: string): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.workerFailed = true;
    this.onWorkerFailure(reason);
    for (const waiting of this.waiting.values()) waiting.inThread();
    this.waiting.clear();
  }
}
