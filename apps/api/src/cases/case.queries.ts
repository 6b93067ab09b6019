import { Inject, Injectable } from '@nestjs/common';
import { CheckpointWatcher } from '@tovholder/read-models';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { Page } from '../http/page';
import { waitForPosition } from '../projections/read-after-write';
import { CaseListItemEntity } from './case-list.entity';
import { CASE_LIST_PROJECTOR } from './case-list.projector';

/** The case list read model, read after the projector has caught up with a given position. */
@Injectable()
export class CaseQueries {
  constructor(
    private readonly dataSource: DataSource,
    private readonly watcher: CheckpointWatcher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(
    filter: { departmentId?: string; status?: 'open' | 'closed' },
    limit: number,
    offset: number,
    position?: string,
  ): Promise<Page<CaseListItemEntity>> {
    await this.catchUp(position);
    const [items, total] = await this.dataSource.manager.findAndCount(CaseListItemEntity, {
      where: filter,
      order: { openedAt: 'DESC', caseId: 'ASC' },
      take: limit,
      skip: offset,
    });
    return { items, total, limit, offset };
  }

  async get(caseId: string, position?: string): Promise<CaseListItemEntity | null> {
    await this.catchUp(position);
    return this.dataSource.manager.findOneBy(CaseListItemEntity, { caseId });
  }

  private catchUp(position: string | undefined): Promise<void> {
    return waitForPosition(
      this.watcher,
      [CASE_LIST_PROJECTOR],
      position,
      this.config.readWaitMaxMs,
    );
  }
}
