import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { AttendanceStatus, ClassApproval, ClassMode, NETWORK_CATEGORIES } from '@dxtrain/shared/contracts';
import { normalisedText } from '@dxtrain/server/platform';

const cleanText = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.normalize('NFC').trim() : value);
const MODES = Object.values(ClassMode);
const APPROVALS = Object.values(ClassApproval);
const MARKS = Object.values(AttendanceStatus);

export class SessionDto {
  @ApiProperty({ example: '2026-12-05T08:00:00+07:00' }) @IsISO8601({ strict: true }) startsAt!: string;
  @ApiProperty({ example: '2026-12-05T11:30:00+07:00' }) @IsISO8601({ strict: true }) endsAt!: string;
}

export class TrainerDto {
  @ApiPropertyOptional({ description: 'A person of the registry' }) @IsOptional() @IsUUID() personId?: string;
  @ApiPropertyOptional({ description: 'An external trainer (or the display name of a registry person)' })
  @ValidateIf((o: TrainerDto) => !o.personId)
  @Transform(normalisedText)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;
}

/** Fields shared by create and update (title, mode and capacity are required on create only). */
class ClassFieldsDto {
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsUUID() courseId?: string | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @ValidateIf((_, v) => v !== null) @Transform(normalisedText) @IsString() @MaxLength(255) room?: string | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @ValidateIf((_, v) => v !== null) @Transform(cleanText) @IsString() @MaxLength(1000) address?: string | null;
  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null && v !== '')
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(1000)
  meetingUrl?: string | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsISO8601({ strict: true }) registrationOpensAt?: string | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsISO8601({ strict: true }) registrationClosesAt?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() selfRegistration?: boolean;
  @ApiPropertyOptional({ enum: APPROVALS }) @IsOptional() @IsIn(APPROVALS) approval?: ClassApproval;
  @ApiPropertyOptional() @IsOptional() @Transform(cleanText) @IsString() @MaxLength(2000) targetAudience?: string;
  @ApiPropertyOptional({ enum: NETWORK_CATEGORIES, isArray: true }) @IsOptional() @IsArray() @IsIn(NETWORK_CATEGORIES, { each: true }) audienceCategories?: string[];
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(1000) periods?: number;
  @ApiPropertyOptional({ nullable: true, description: 'Sessions to attend; null = all' }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsInt() @Min(1) @Max(365) minSessions?: number | null;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() refuseConflicts?: boolean;
  @ApiPropertyOptional({ type: [TrainerDto] }) @IsOptional() @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => TrainerDto) trainers?: TrainerDto[];
}

export class CreateClassDto extends ClassFieldsDto {
  @ApiProperty() @Transform(normalisedText) @IsString() @IsNotEmpty() @MaxLength(255) title!: string;
  @ApiProperty({ enum: MODES }) @IsIn(MODES) mode!: ClassMode;
  @ApiProperty({ description: 'Organising unit (in your scope)' }) @IsUUID() orgUnitId!: string;
  @ApiProperty() @IsInt() @Min(1) @Max(10000) capacity!: number;
  @ApiPropertyOptional({ type: [SessionDto] }) @IsOptional() @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => SessionDto) sessions?: SessionDto[];
}

export class UpdateClassDto extends ClassFieldsDto {
  @ApiPropertyOptional() @IsOptional() @Transform(normalisedText) @IsString() @IsNotEmpty() @MaxLength(255) title?: string;
  @ApiPropertyOptional({ enum: MODES }) @IsOptional() @IsIn(MODES) mode?: ClassMode;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(10000) capacity?: number;
}

export class ClassStatusDto {
  @ApiProperty({ enum: ['open', 'closed', 'completed', 'cancelled', 'draft'] }) @IsIn(['open', 'closed', 'completed', 'cancelled', 'draft']) status!: 'open' | 'closed' | 'completed' | 'cancelled' | 'draft';
}

export class ClassQueryDto {
  @ApiPropertyOptional({ description: 'Sessions from (ISO date-time)' }) @IsOptional() @IsISO8601() from?: string;
  @ApiPropertyOptional({ description: 'Sessions until' }) @IsOptional() @IsISO8601() to?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20) status?: string;
}

export class RegisterDto {
  @ApiPropertyOptional({ description: 'Whom to register; omitted = yourself' }) @IsOptional() @IsUUID() personId?: string;
}

export class DecisionDto {
  @ApiProperty() @IsBoolean() approve!: boolean;
}

export class AttendanceMarkDto {
  @ApiProperty() @IsUUID() personId!: string;
  @ApiProperty({ enum: MARKS }) @IsIn(MARKS) status!: AttendanceStatus;
}

export class BulkAttendanceDto {
  @ApiProperty({ type: [AttendanceMarkDto] }) @IsArray() @ArrayMaxSize(10000) @ValidateNested({ each: true }) @Type(() => AttendanceMarkDto) marks!: AttendanceMarkDto[];
}

export class CheckInDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) token!: string;
}
