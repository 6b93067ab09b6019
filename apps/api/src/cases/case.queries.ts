import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CheckpointWatcher } from '@tovholder/read-models';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { Page } from '../http/page';
import { waitForPosition } from '../projections/read-after-write';
import { CaseListItemEntity } from './case-list.entity';
import { CASE_LIST_PROJECTOR } from './case-list.projector';

export class ListCasesQuery extends Query<Page<CaseListItemEntity>> {
  constructor(
    readonly filter: { departmentId?: string; status?: 'open' | 'closed' },
    readonly limit: number,
    readonly offset: number,
    readonly waitForPosition?: string,
  ) {
    super();
  }
}

export class GetCaseQuery extends Query<CaseListItemEntity | null> {
  constructor(
    readonly caseId: string,
    readonly waitForPosition?: string,
  ) {
    super();
  }
}

abstract class CaseListQueryHandler {
  constructor(
    protected readonly dataSource: DataSource,
    private readonly watcher: CheckpointWatcher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  protected catchUp(position: string | undefined): Promise<void> {
    return waitForPosition(
      this.watcher,
      [CASE_LIST_PROJECTOR],
      position,
      this.config.readWaitMaxMs,
    );
  }
}

@QueryHandler(ListCasesQuery)
export class ListCasesHandler
  extends CaseListQueryHandler
  implements IQueryHandler<ListCasesQuery>
{
  async execute(query: ListCasesQuery): Promise<Page<CaseListItemEntity>> {
    await this.catchUp(query.waitForPosition);
    const [items, total] = await this.dataSource.manager.findAndCount(CaseListItemEntity, {
      where: query.filter,
      order: { openedAt: 'DESC', caseId: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return { items, total, limit: query.limit, offset: query.offset };
  }
}

@QueryHandler(GetCaseQuery)
export class GetCaseHandler extends CaseListQueryHandler implements IQueryHandler<GetCaseQuery> {
  async execute(query: GetCaseQuery): Promise<CaseListItemEntity | null> {
    await this.catchUp(query.waitForPosition);
    return this.dataSource.manager.findOneBy(CaseListItemEntity, { caseId: query.caseId });
  }
}
