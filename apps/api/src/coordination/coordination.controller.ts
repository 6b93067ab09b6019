import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { caseDetailsVisible } from '../access/access-decision';
import { CurrentPrincipal } from '../auth/auth.guard';
import type { Principal } from '../auth/principal';
import type { Page } from '../http/page';
import { familyIdPipe } from '../families/families.controller';
import { ReadAfterDto } from '../http/read-after.dto';
import { CoordinationHistoryService, type FamilyHistoryView } from './coordination-history.service';
import { CaseloadDto, FamilyHistoryDto, FlagDto, ListFlagsDto } from './coordination.dto';
import {
  CoordinationQueries,
  type CaseloadRow,
  type FamilyCoordinationView,
  type FlagView,
} from './coordination.queries';
import { Allow, Scoped } from '../access/access-rules';

/** A family's case as the caller may see it: whole, or with its type hidden. */
function caseAsSeenBy<C extends { caseType: string | null; caseworkerId: string | null }>(
  principal: Principal,
  c: C,
  departmentId: string,
  consented: boolean,
): C {
  const holds = principal.caseworkerId !== null && c.caseworkerId === principal.caseworkerId;
  return caseDetailsVisible(principal, { departmentId, holds, consented })
    ? c
    : { ...c, caseType: null, detailsHidden: true as const };
}

/**
 * Everyone allowed sees which departments hold cases for the family and the flags (like the
 * national cross-system overview); a case's content only where scoping allows it.
 */
function withCaseDetailsFor(
  principal: Principal,
  family: FamilyCoordinationView,
): FamilyCoordinationView {
  const shared = new Set(family.sharing.map((entry) => entry.departmentId));
  const isContact =
    principal.caseworkerId !== null &&
    family.primaryContact?.caseworkerId === principal.caseworkerId;
  const openCasesByDepartment: FamilyCoordinationView['openCasesByDepartment'] = {};
  for (const [departmentId, cases] of Object.entries(family.openCasesByDepartment)) {
    openCasesByDepartment[departmentId] = cases.map((c) =>
      caseAsSeenBy(principal, c, departmentId, isContact && shared.has(departmentId)),
    );
  }
  return { ...family, openCasesByDepartment };
}

const noFamily = () =>
  new NotFoundException({ code: 'FAMILY.NOT_FOUND', message: 'No family with this id' });

@ApiTags('coordination')
@Controller()
export class CoordinationController {
  constructor(
    private readonly queries: CoordinationQueries,
    private readonly history: CoordinationHistoryService,
  ) {}

  @Get('families/:familyId')
  @ApiOperation({
    summary: "Get a family's coordination overview",
    operationId: 'getFamilyOverview',
  })
  @Allow('caseworker', 'coordinator', 'youth-unit', 'team-leader', 'system')
  @Scoped({ kind: 'family', param: 'familyId' })
  @ApiOkResponse({
    description: 'Members, open cases by department, caseworkers, primary contact and active flags',
  })
  @ApiNotFoundResponse({ description: 'FAMILY.NOT_FOUND' })
  async family(
    @Param('familyId', familyIdPipe) familyId: string,
    @Query() query: ReadAfterDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<FamilyCoordinationView> {
    await this.queries.catchUp(query.waitForPosition);
    const family = await this.queries.family(familyId);
    if (!family) throw noFamily();
    return withCaseDetailsFor(principal, family);
  }

  @Get('families/:familyId/history')
  @ApiOperation({
    summary: "Get a family's coordination overview as it was at a moment",
    operationId: 'getFamilyOverviewAsOf',
  })
  @Allow('caseworker', 'coordinator', 'system')
  @Scoped({ kind: 'family', param: 'familyId' })
  @ApiOkResponse({
    description:
      'The coordination state and flags as they were at `asOf` (effective time: as we know it now) or as Tovholder showed them at `knownAt` (recording time), computed from the events',
  })
  async familyAsOf(
    @Param('familyId', familyIdPipe) familyId: string,
    @Query() query: FamilyHistoryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<FamilyHistoryView> {
    const family = await this.history.asOf(familyId, query);
    if (!family) throw noFamily();
    // What was shared then is not recorded here; only one's own department and cases show.
    const openCases = family.openCases.map((c) =>
      caseAsSeenBy(principal, c, c.departmentId, false),
    );
    return { ...family, openCases };
  }

  @Get('coordination/flags')
  @ApiOperation({
    summary: 'List active coordination flags across the municipality',
    operationId: 'listCoordinationFlags',
  })
  @Allow('caseworker', 'coordinator', 'youth-unit', 'team-leader', 'system')
  @ApiOkResponse({
    type: [FlagDto],
    description: 'Active flags across the municipality, oldest first, paged',
  })
  async flags(@Query() query: ListFlagsDto): Promise<Page<FlagView>> {
    await this.queries.catchUp(query.waitForPosition);
    return this.queries.flags(
      { code: query.code, departmentId: query.departmentId },
      query.limit,
      query.offset,
    );
  }

  @Get('coordination/caseload')
  @ApiOperation({
    summary: "Get each caseworker's open cases and families held as primary contact",
    operationId: 'getCaseload',
  })
  @Allow('coordinator', 'team-leader', 'system')
  @ApiOkResponse({ description: 'Per caseworker: open cases and families held as primary contact' })
  async caseload(@Query() query: CaseloadDto): Promise<CaseloadRow[]> {
    await this.queries.catchUp(query.waitForPosition);
    return this.queries.caseload(query.departmentId);
  }
}
