import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { COURSE_AUDIENCE_SCOPES, CourseAudienceScope, LESSON_KINDS, LessonKind, MAX_PAGE, MAX_PAGE_SIZE, NETWORK_CATEGORIES, NetworkCategory } from '@dxtrain/shared/contracts';
import { normalisedText } from '@dxtrain/server/platform';

const cleanText = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.normalize('NFC').trim() : value);

export class CourseQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) q?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) topic?: string;
  @ApiPropertyOptional({ enum: NETWORK_CATEGORIES }) @IsOptional() @IsIn(NETWORK_CATEGORIES) audience?: NetworkCategory;
  @ApiPropertyOptional({ description: 'true: courses the caller can edit, drafts included' }) @IsOptional() @IsIn(['true', 'false']) manage?: 'true' | 'false';
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE) page?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE_SIZE) pageSize?: number;
}

export class CourseVersionFieldsDto {
  @ApiProperty() @Transform(normalisedText) @IsString() @IsNotEmpty() @MaxLength(255) title!: string;
  @ApiPropertyOptional() @IsOptional() @Transform(cleanText) @IsString() @MaxLength(5000) summary?: string;
  @ApiPropertyOptional({ description: 'Training hours in periods (tiết)' }) @IsOptional() @IsInt() @Min(1) @Max(1000) periods?: number;
  @ApiPropertyOptional({ default: 45 }) @IsOptional() @IsInt() @Min(1) @Max(240) periodMinutes?: number;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @MaxLength(100, { each: true }) topics?: string[];
  @ApiPropertyOptional({ enum: NETWORK_CATEGORIES, isArray: true }) @IsOptional() @IsArray() @IsIn(NETWORK_CATEGORIES, { each: true }) audienceCategories?: NetworkCategory[];
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(200, { each: true }) audiencePositions?: string[];
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsUUID() finalQuizId?: string | null;
}

export class CreateCourseDto extends CourseVersionFieldsDto {
  @ApiProperty() @Transform(normalisedText) @IsString() @IsNotEmpty() @MaxLength(50) @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { message: 'code may contain only letters, digits, ".", "_" and "-"' })
  code!: string;

  @ApiProperty() @IsUUID() ownerUnitId!: string;
}

export class UpdateDraftDto extends PartialType(CourseVersionFieldsDto) {}

export class CourseAudienceDto {
  @ApiProperty({ enum: COURSE_AUDIENCE_SCOPES }) @IsIn(COURSE_AUDIENCE_SCOPES) scope!: CourseAudienceScope;
  @ApiPropertyOptional({ type: [String], description: 'For scope "units": the units whose subtrees may take the course' })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsUUID('all', { each: true }) unitIds?: string[];
}

export class SectionDto {
  @ApiProperty() @Transform(normalisedText) @IsString() @IsNotEmpty() @MaxLength(255) title!: string;
}

export class LessonDto {
  @ApiProperty() @Transform(normalisedText) @IsString() @IsNotEmpty() @MaxLength(255) title!: string;
  @ApiProperty({ enum: LESSON_KINDS }) @IsIn(LESSON_KINDS) kind!: LessonKind;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() required?: boolean;
  @ApiPropertyOptional() @IsOptional() @ValidateIf((_, v) => v !== null) @IsInt() @Min(1) @Max(1440) durationMinutes?: number | null;
  @ApiPropertyOptional({ description: 'text: Markdown' }) @IsOptional() @IsString() @MaxLength(200_000) markdown?: string;
  @ApiPropertyOptional({ description: 'video/document: uploaded file id' }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsUUID() fileId?: string | null;
  @ApiPropertyOptional({ description: 'video/link: external URL' }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsUrl({ protocols: ['http', 'https'], require_protocol: true }) @MaxLength(2000) url?: string | null;
  @ApiPropertyOptional({ description: 'quiz lesson: quiz id' }) @IsOptional() @IsUUID() quizId?: string;
}

export class UpdateLessonDto extends PartialType(LessonDto) {
  @ApiPropertyOptional({ description: 'Move to another section of the draft' }) @IsOptional() @IsUUID() sectionId?: string;
}

export class ReorderDto {
  @ApiProperty({ type: [String], description: 'Every id, in the new order' }) @IsArray() @ArrayMaxSize(500) @IsUUID('all', { each: true }) ids!: string[];
}

export class LessonProgressDto {
  @ApiPropertyOptional() @IsOptional() @IsBoolean() completed?: boolean;
  @ApiPropertyOptional({ description: 'Seconds spent since the last report (added up)' }) @IsOptional() @IsInt() @Min(0) @Max(3600) timeSpentSeconds?: number;
  @ApiPropertyOptional({ description: 'Resume position, e.g. { "seconds": 312 }' }) @IsOptional() @IsObject() position?: Record<string, unknown>;
}

