import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { EnrolmentStatus, MAX_PAGE, MAX_PAGE_SIZE, NETWORK_CATEGORIES, NetworkCategory } from '@dxtrain/shared/contracts';
import { normalisedText } from '@dxtrain/server/platform';

const STATUSES = Object.values(EnrolmentStatus);

export class EnrolmentQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID() courseId?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(2000) @Max(2100) year?: number;
  @ApiPropertyOptional({ description: 'Includes the whole subtree' }) @IsOptional() @IsUUID() unitId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() personId?: string;
  @ApiPropertyOptional({ enum: STATUSES }) @IsOptional() @IsIn(STATUSES) status?: EnrolmentStatus;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) q?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE) page?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE_SIZE) pageSize?: number;
}

export class EnrolDto {
  @ApiProperty() @IsUUID() personId!: string;
  @ApiProperty() @IsUUID() courseId!: string;
  @ApiPropertyOptional({ description: 'Training year; default the current one' }) @IsOptional() @IsInt() @Min(2000) @Max(2100) year?: number;
  @ApiPropertyOptional({ example: '2026-12-31' }) @IsOptional() @IsISO8601({ strict: true }) dueDate?: string;
}

export class SelfEnrolDto {
  @ApiProperty() @IsUUID() courseId!: string;
}

export class CreateAudienceRuleDto {
  @ApiProperty() @IsUUID() courseId!: string;
  @ApiProperty({ description: 'The rule covers this unit and its whole subtree' }) @IsUUID() orgUnitId!: string;
  @ApiPropertyOptional({ enum: NETWORK_CATEGORIES }) @IsOptional() @IsIn(NETWORK_CATEGORIES) networkCategory?: NetworkCategory;
  @ApiPropertyOptional() @IsOptional() @Transform(normalisedText) @IsString() @MaxLength(200) position?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(2000) @Max(2100) year?: number;
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) dueDate?: string;
}

export class UpdateAudienceRuleDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID() orgUnitId?: string;
  @ApiPropertyOptional({ enum: NETWORK_CATEGORIES, nullable: true }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsIn(NETWORK_CATEGORIES) networkCategory?: NetworkCategory | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @ValidateIf((_, v) => v !== null) @Transform(normalisedText) @IsString() @MaxLength(200) position?: string | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsISO8601({ strict: true }) dueDate?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
}

/** Multipart fields of POST /api/enrolment-imports (strings on the wire). */
export class CreateImportDto {
  @ApiPropertyOptional({ description: 'Enrol everyone in this course; without it, each row names a course code' }) @IsOptional() @IsUUID() courseId?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(2000) @Max(2100) year?: number;
  @ApiPropertyOptional({ description: 'Validate and count without writing' }) @IsOptional() @IsIn(['true', 'false', '1', '0']) dryRun?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) dueDate?: string;
}
