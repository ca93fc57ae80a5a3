import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDateString,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

export class QuestionUpsertDto {
  @ApiProperty({ description: 'The question definition (see QuestionDefinition in the contracts)' })
  @IsObject()
  definition!: Record<string, unknown>;
}

export class QuestionQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) category?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) q?: string;
}

export class ImportQuestionsDto {
  @ApiPropertyOptional({ enum: ['gift', 'aiken', 'table'], description: 'Guessed from the file when omitted' })
  @IsOptional()
  @IsIn(['gift', 'aiken', 'table'])
  format?: 'gift' | 'aiken' | 'table';

  @ApiPropertyOptional({ description: 'true: report what would be imported, write nothing' })
  @IsOptional()
  @IsIn(['true', 'false'])
  dryRun?: 'true' | 'false';
}

class RandomDrawDto {
  @ApiProperty() @IsString() @MaxLength(200) category!: string;
  @ApiProperty() @IsInt() @Min(1) @Max(500) count!: number;
}

class SelectionDto {
  @ApiProperty({ enum: ['fixed', 'random'] }) @IsIn(['fixed', 'random']) mode!: 'fixed' | 'random';

  @ApiPropertyOptional({ type: [String] })
  @ValidateIf((o) => o.mode === 'fixed')
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  questionIds?: string[];

  @ApiPropertyOptional({ type: [RandomDrawDto] })
  @ValidateIf((o) => o.mode === 'random')
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => RandomDrawDto)
  draws?: RandomDrawDto[];
}

class ReviewDto {
  @ApiProperty({ enum: ['after_submit', 'after_close', 'never'] }) @IsIn(['after_submit', 'after_close', 'never']) score!: 'after_submit' | 'after_close' | 'never';
  @ApiProperty({ enum: ['after_submit', 'after_close', 'never'] }) @IsIn(['after_submit', 'after_close', 'never']) answers!: 'after_submit' | 'after_close' | 'never';
}

export class QuizDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(255) title!: string;
  @ApiProperty({ enum: ['practice', 'graded'] }) @IsIn(['practice', 'graded']) mode!: 'practice' | 'graded';
  @ApiProperty({ type: SelectionDto }) @ValidateNested() @Type(() => SelectionDto) selection!: SelectionDto;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() shuffleQuestions?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() shuffleOptions?: boolean;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsInt() @Min(30) @Max(86400) timeLimitSeconds?: number | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsDateString() openAt?: string | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsDateString() closeAt?: string | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsInt() @Min(1) @Max(100) maxAttempts?: number | null;
  @ApiPropertyOptional({ enum: ['highest', 'last', 'first', 'average'] }) @IsOptional() @IsIn(['highest', 'last', 'first', 'average']) gradingMethod?: 'highest' | 'last' | 'first' | 'average';
  @ApiPropertyOptional({ default: 0.5 }) @IsOptional() @IsNumber() @Min(0) @Max(1) passMark?: number;
  @ApiPropertyOptional({ type: ReviewDto }) @IsOptional() @ValidateNested() @Type(() => ReviewDto) review?: ReviewDto;
}

export class UpdateQuizDto extends PartialType(QuizDto) {}

export class SaveResponseDto {
  @ApiProperty({ description: 'The answer (see QuestionResponse in the contracts)' }) @IsObject() response!: Record<string, unknown>;
}

export class ResultsQueryDto {
  @ApiPropertyOptional({ enum: ['json', 'csv', 'xlsx'] }) @IsOptional() @IsIn(['json', 'csv', 'xlsx']) format?: 'json' | 'csv' | 'xlsx';
}
