import { Body, Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  AttendanceRow,
  CalendarFeed,
  CheckInResult,
  CheckInToken,
  CLASS_NOMINATOR_ROLES,
  CLASS_ORGANISER_ROLES,
  ClassItem,
  ClassRegistrationItem,
  ClassSessionItem,
  ErrorCode,
  MyClassItem,
} from '@dxtrain/shared/contracts';
import { Actor, CurrentActor, DomainException, fileAnswer, Public, RequireRoles, SignedIn } from '@dxtrain/server/platform';
import { AttendanceService } from './attendance.service';
import { ClassesService } from './classes.service';
import { BulkAttendanceDto, CheckInDto, ClassQueryDto, ClassStatusDto, CreateClassDto, DecisionDto, RegisterDto, SessionDto, UpdateClassDto } from './dto/scheduling.dto';

const uuid = new ParseUUIDPipe();

/** An .ics answer (with `@Header('Cache-Control', 'no-store')` on the route). */
function ics(body: string, filename: string): StreamableFile {
  return fileAnswer(body, 'text/calendar; charset=utf-8', `attachment; filename="${filename}"`);
}

@ApiTags('classes')
@ApiBearerAuth()
@Controller('classes')
export class ClassesController {
  constructor(
    private readonly classes: ClassesService,
    private readonly attendance: AttendanceService,
  ) {}

  /** Organisers: the classes of their subtree; unit managers: the open classes of their province (to nominate). */
  @Get()
  @RequireRoles(...CLASS_NOMINATOR_ROLES)
  list(@CurrentActor() actor: Actor, @Query() q: ClassQueryDto): Promise<ClassItem[]> {
    return this.classes.list(actor, q);
  }

  @Post()
  @RequireRoles(...CLASS_ORGANISER_ROLES)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateClassDto): Promise<ClassItem> {
    return this.classes.create(actor, dto);
  }

  @SignedIn("invited or registered, or the class's organisers and managers")

  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<ClassItem> {
    return this.classes.get(actor, id);
  }

  @Patch(':id')
  @RequireRoles(...CLASS_ORGANISER_ROLES)
  update(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() dto: UpdateClassDto): Promise<ClassItem> {
    return this.classes.update(actor, id, dto);
  }

  /** open / closed / completed / cancelled (cancelling sends METHOD:CANCEL to everyone confirmed). */
  @Post(':id/status')
  @HttpCode(200)
  @RequireRoles(...CLASS_ORGANISER_ROLES)
  status(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() dto: ClassStatusDto): Promise<ClassItem> {
    return this.classes.setStatus(actor, id, dto);
  }

  @Post(':id/sessions')
  @RequireRoles(...CLASS_ORGANISER_ROLES)
  addSession(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() dto: SessionDto): Promise<ClassSessionItem> {
    return this.classes.addSession(actor, id, dto);
  }

  @SignedIn('the organiser sees all; a unit manager the people of their units')

  @Get(':id/registrations')
  registrations(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<ClassRegistrationItem[]> {
    return this.classes.registrations(actor, id);
  }

  /** Yourself (no personId), a nominee (unit manager, own subtree) or anyone in scope (organiser). */
  @SignedIn("self, managers' people, organisers' scope")
  @Post(':id/registrations')
  register(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() dto: RegisterDto): Promise<ClassRegistrationItem> {
    return this.classes.register(actor, id, dto);
  }

  /** The class's sessions as an .ics file ("add to calendar"). */
  @SignedIn("registered, or the class's organisers")
  @Get(':id/calendar.ics')
  @Header('Cache-Control', 'no-store')
  async calendar(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<StreamableFile> {
    return ics(await this.attendance.classCalendar(actor, id), 'lop-tap-huan.ics');
  }
}

@ApiTags('classes')
@ApiBearerAuth()
@Controller('class-sessions')
export class ClassSessionsController {
  constructor(
    private readonly classes: ClassesService,
    private readonly attendance: AttendanceService,
  ) {}

  /** A signed-in learner scanning the trainer's QR code. */
  @SignedIn('own registration (signed token)')
  @Post('check-in')
  @HttpCode(200)
  checkIn(@CurrentActor() actor: Actor, @Body() dto: CheckInDto): Promise<CheckInResult> {
    return this.attendance.checkIn(actor, dto.token);
  }

  @Put(':id')
  @RequireRoles(...CLASS_ORGANISER_ROLES)
  update(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() dto: SessionDto): Promise<ClassSessionItem> {
    return this.classes.updateSession(actor, id, dto);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @RequireRoles(...CLASS_ORGANISER_ROLES)
  cancel(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<ClassSessionItem> {
    return this.classes.cancelSession(actor, id);
  }

  /** Organisers of the class and its registry trainers. */
  @SignedIn("the class's organisers and trainers")
  @Get(':id/attendance')
  attendanceOf(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<AttendanceRow[]> {
    return this.attendance.attendance(actor, id);
  }

  @SignedIn("the class's organisers and trainers")

  @Put(':id/attendance')
  mark(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() dto: BulkAttendanceDto): Promise<AttendanceRow[]> {
    return this.attendance.mark(actor, id, dto.marks);
  }

  @SignedIn("the class's organisers and trainers")

  @Get(':id/check-in-token')
  token(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<CheckInToken> {
    return this.attendance.checkInToken(actor, id);
  }

  @SignedIn("the class's organisers and trainers")

  @Get(':id/sign-in-sheet.pdf')
  async sheet(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<StreamableFile> {
    const { pdf, filename } = await this.attendance.signInSheet(actor, id);
    return fileAnswer(pdf, 'application/pdf', `attachment; filename="${filename}"`);
  }
}

@ApiTags('classes')
@ApiBearerAuth()
@Controller('class-registrations')
export class ClassRegistrationsController {
  constructor(private readonly classes: ClassesService) {}

  @SignedIn('own registration, or managers and organisers in scope')

  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<ClassRegistrationItem> {
    return this.classes.cancel(actor, id);
  }

  @Post(':id/decision')
  @HttpCode(200)
  @RequireRoles(...CLASS_NOMINATOR_ROLES)
  decide(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() dto: DecisionDto): Promise<ClassRegistrationItem> {
    return this.classes.decide(actor, id, dto.approve);
  }
}

@ApiTags('classes')
@ApiBearerAuth()
@Controller('me')
export class MyClassesController {
  constructor(private readonly attendance: AttendanceService) {}

  @SignedIn('own')

  @Get('classes')
  mine(@CurrentActor() actor: Actor): Promise<MyClassItem[]> {
    return this.attendance.myClasses(actor);
  }

  /** The personal feed URL to subscribe to in a calendar app (created on first request). */
  @SignedIn('own')
  @Get('calendar-feed')
  feed(@CurrentActor() actor: Actor): Promise<CalendarFeed> {
    return this.attendance.calendarFeed(actor);
  }
}

/**
 * Deliberately public: calendar apps subscribe without signing in. The 256-bit random token in the
 * URL is the credential (like the certificate verify route, nothing but the feed is reachable).
 */
@ApiTags('classes')
@Public()
@Controller('public/calendar')
export class PublicCalendarController {
  constructor(private readonly attendance: AttendanceService) {}

  @Get(':file')
  @Header('Cache-Control', 'no-store')
  async feed(@Param('file') file: string): Promise<StreamableFile> {
    if (!file.endsWith('.ics')) throw DomainException.notFound(ErrorCode.NotFound);
    return ics(await this.attendance.feedByToken(file.slice(0, -4)), 'dxtrain.ics');
  }
}
