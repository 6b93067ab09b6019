import {
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiTags,
  ApiOperation,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { Allow } from '../access/access-rules';
import { CurrentPrincipal } from '../auth/auth.guard';
import type { Principal } from '../auth/principal';
import { NoIdempotencyRecord } from '../http/idempotency/no-idempotency-record';
import { ImportStartedDto, ImportStatusDto, StartImportQueryDto } from './import.dto';
import { ImportsService } from './imports.service';

function notFound(): NotFoundException {
  return new NotFoundException({ code: 'IMPORT.NOT_FOUND', message: 'No such import' });
}

const NDJSON_TYPES = ['application/x-ndjson', 'application/octet-stream', 'text/plain'];

@ApiTags('imports')
@Controller('imports')
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Post()
  @ApiOperation({
    summary: 'Start an import of an existing municipality (NDJSON body)',
    operationId: 'startImport',
  })
  @Allow('admin', 'system')
  @HttpCode(202)
  // The file is the request body, streamed to disk: an idempotency record would have to hold it.
  @NoIdempotencyRecord()
  @ApiConsumes(...NDJSON_TYPES)
  @ApiBody({
    description:
      'The import file as the body (NDJSON, one record a line; docs/import.schema.json), e.g. `curl --data-binary @municipality.ndjson -H "content-type: application/x-ndjson"`. Sending the same file again writes nothing twice.',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiAcceptedResponse({
    type: ImportStartedDto,
    description: 'Started; follow `href` for progress',
  })
  async start(
    @Req() request: Request,
    @Query() query: StartImportQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ImportStartedDto> {
    const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!NDJSON_TYPES.includes(type)) {
      throw new UnsupportedMediaTypeException({
        code: 'IMPORT.UNSUPPORTED_MEDIA_TYPE',
        message: `The body must be the import file as ${NDJSON_TYPES.join(', ')}`,
      });
    }
    const importId = await this.imports.start(request, query.strict === 'true', principal.subject);
    return { importId, href: `/imports/${importId}` };
  }

  @Get(':importId')
  @ApiOperation({ summary: 'Get the progress and report of an import', operationId: 'getImport' })
  @Allow('admin', 'system')
  @ApiOkResponse({ type: ImportStatusDto })
  async status(
    @Param('importId', new ParseUUIDPipe({ exceptionFactory: notFound })) importId: string,
  ): Promise<ImportStatusDto> {
    const found = await this.imports.find(importId);
    if (!found)
      throw new NotFoundException({ code: 'IMPORT.NOT_FOUND', message: 'No such import' });
    return found;
  }
}
