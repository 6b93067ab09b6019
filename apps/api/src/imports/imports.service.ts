import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@tovholder/event-store';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DataSource } from 'typeorm';
import { PersonRegistry } from '../persons/person-registry';
import { CLOCK, type Clock } from '../shared/clock';
import type { ImportStatusDto } from './import.dto';
import { fileLines } from './import-file';
import { MunicipalityImport, type ImportReport } from './municipality-import';

interface ImportRow {
  import_id: string;
  status: ImportStatusDto['status'];
  strict: boolean;
  started_at: Date;
  finished_at: Date | null;
  lines: number;
  refused: number;
  report: ImportReport | null;
}

/**
 * Imports started over HTTP. The body is saved to a file first (the strict mode reads it twice,
 * and the caller should not wait for the import), then imported in the background with progress
 * kept in `imports`. An import the process did not live to finish is marked `interrupted`; the
 * same file sent again resumes it, since what is stored already is not written twice.
 */
@Injectable()
export class ImportsService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Imports');
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly registry: PersonRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.dataSource.query(
      "UPDATE imports SET status = 'interrupted', finished_at = now() WHERE status = 'running'",
    );
  }

  async start(body: Readable, strict: boolean, startedBy: string): Promise<string> {
    const importId = randomUUID();
    const folder = join(tmpdir(), 'tovholder-imports');
    await mkdir(folder, { recursive: true });
    const file = join(folder, `${importId}.ndjson`);
    try {
      await pipeline(body, createWriteStream(file, { mode: 0o600 }));
    } catch (error) {
      await rm(file, { force: true });
      throw error;
    }
    await this.dataSource.query(
      `INSERT INTO imports (import_id, status, strict, started_by, started_at)
       VALUES ($1, 'running', $2, $3, $4)`,
      [importId, strict, startedBy, this.clock.now()],
    );
    const work = this.run(importId, file, strict, startedBy).finally(() => {
      this.running.delete(work);
    });
    this.running.add(work);
    return importId;
  }

  async find(importId: string): Promise<ImportStatusDto | null> {
    const [row] = await this.dataSource.query<ImportRow[]>(
      `SELECT import_id, status, strict, started_at, finished_at, lines, refused, report
         FROM imports WHERE import_id = $1`,
      [importId],
    );
    if (!row) return null;
    return {
      importId: row.import_id,
      status: row.status,
      strict: row.strict,
      startedAt: row.started_at.toISOString(),
      finishedAt: row.finished_at?.toISOString() ?? null,
      lines: row.lines,
      refused: row.refused,
      ...(row.report ? { report: row.report } : {}),
    };
  }

  /** Waits for imports still running (tests, and a graceful stop). */
  async settled(): Promise<void> {
    await Promise.all([...this.running]);
  }

  private async run(importId: string, file: string, strict: boolean, actor: string): Promise<void> {
    const progress = (lines: number, refused: number): Promise<unknown> =>
      this.dataSource.query('UPDATE imports SET lines = $2, refused = $3 WHERE import_id = $1', [
        importId,
        lines,
        refused,
      ]);
    let pending: Promise<unknown> = Promise.resolve();
    try {
      const report = await new MunicipalityImport(this.store, this.dataSource, this.registry, {
        strict,
        actor,
        now: () => this.clock.now(),
        onProgress: ({ lines, refused }) => {
          pending = pending.then(() => progress(lines, refused));
        },
      }).run(fileLines(file));
      await pending;
      await this.dataSource.query(
        `UPDATE imports SET status = 'done', finished_at = $2, lines = $3, refused = $4, report = $5
          WHERE import_id = $1`,
        [importId, this.clock.now(), report.lines, report.refused, JSON.stringify(report)],
      );
    } catch (error) {
      // The name only: a driver's message can quote row values, and rows here hold names.
      this.logger.error(
        `import ${importId} failed: ${error instanceof Error ? error.name : 'unknown'}`,
      );
      await pending.catch(() => undefined);
      await this.dataSource
        .query("UPDATE imports SET status = 'failed', finished_at = $2 WHERE import_id = $1", [
          importId,
          this.clock.now(),
        ])
        .catch(() => undefined);
    } finally {
      await rm(file, { force: true });
    }
  }
}
