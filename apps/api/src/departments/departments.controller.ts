import {
  Body,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Put,
} from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { DepartmentEntity } from './department.entity';
import { upsertDepartments } from './departments';
import { DEPARTMENT_ID_PATTERN, ImportDepartmentsDto, PutDepartmentDto } from './department.dto';
import { Allow } from '../access/access-rules';

@ApiTags('departments')
@Controller('departments')
export class DepartmentsController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @ApiOperation({ summary: 'List departments', operationId: 'listDepartments' })
  @Allow('caseworker', 'coordinator', 'youth-unit', 'team-leader', 'auditor', 'admin', 'system')
  @ApiOkResponse({ type: [DepartmentEntity] })
  list(): Promise<DepartmentEntity[]> {
    return this.dataSource.manager.find(DepartmentEntity, { order: { id: 'ASC' } });
  }

  @Put(':id')
  @ApiOperation({ summary: 'Create or update a department', operationId: 'setDepartment' })
  @Allow('admin', 'system')
  @ApiOkResponse({ type: DepartmentEntity })
  async put(@Param('id') id: string, @Body() body: PutDepartmentDto): Promise<DepartmentEntity> {
    if (!DEPARTMENT_ID_PATTERN.test(id)) {
      throw new NotFoundException({ code: 'DEPARTMENT.NOT_FOUND', message: 'Not a department id' });
    }
    const department = { id, name: body.name, area: body.area, active: body.active ?? true };
    await this.dataSource.manager.upsert(DepartmentEntity, department, ['id']);
    return department;
  }

  /** Loads a municipality's own list (e.g. from a JSON file) in one transaction. */
  @Post('import')
  @ApiOperation({ summary: 'Import a list of departments', operationId: 'importDepartments' })
  @Allow('admin', 'system')
  @HttpCode(200)
  @ApiOkResponse({ type: [DepartmentEntity] })
  async import(@Body() body: ImportDepartmentsDto): Promise<DepartmentEntity[]> {
    await upsertDepartments(this.dataSource, body.departments);
    return this.list();
  }
}
