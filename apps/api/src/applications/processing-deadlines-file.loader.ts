import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { readConfigFile } from '../config/json-file';
import { ImportProcessingDeadlinesDto } from './processing-deadline.dto';
import { upsertProcessingDeadlines } from './processing-deadlines';

/**
 * PROCESSING_DEADLINES_FILE: the municipality's published deadlines, the same JSON as
 * POST /processing-deadlines/import ({ "deadlines": [{ "caseType", "amount", "unit" }] }).
 */
@Injectable()
export class ProcessingDeadlinesFileLoader implements OnApplicationBootstrap {
  private readonly logger = new Logger('ProcessingDeadlines');

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const file = this.config.casework.processingDeadlinesFile;
    if (!file) return;
    const dto = await readConfigFile(
      'PROCESSING_DEADLINES_FILE',
      file,
      ImportProcessingDeadlinesDto,
    );
    await upsertProcessingDeadlines(this.dataSource, dto.deadlines);
    this.logger.log(`loaded ${dto.deadlines.length} processing deadlines from ${file}`);
  }
}
