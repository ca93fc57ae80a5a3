import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { MAX_PAGE, MAX_PAGE_SIZE, NETWORK_CATEGORIES, NetworkCategory, UntrainedReason } from '@dxtrain/shared/contracts';
import { normalisedText } from '@dxtrain/server/platform';

const REASONS = Object.values(UntrainedReason);

/** Years are checked by the service (unknown / future get their own error codes); here only a sane integer (no int overflow). */
export class CoverageQueryDto {
  @ApiProperty() @Type(() => Number) @IsInt() @Min(1900) @Max(9999) year!: number;
  @ApiPropertyOptional({ description: 'Default: the top unit of your grants' }) @IsOptional() @IsUUID() unitId?: string;
}

export class TrendQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID() unitId?: string;
}

export class UntrainedQueryDto extends CoverageQueryDto {
  @ApiPropertyOptional({ enum: NETWORK_CATEGORIES }) @IsOptional() @IsIn(NETWORK_CATEGORIES) category?: NetworkCategory;
  @ApiPropertyOptional({ enum: REASONS }) @IsOptional() @IsIn(REASONS) reason?: UntrainedReason;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE) page?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE_SIZE) pageSize?: number;
}

export class ExportQueryDto extends UntrainedQueryDto {
  @ApiProperty({ enum: ['xlsx', 'csv', 'pdf'] }) @IsIn(['xlsx', 'csv', 'pdf']) format!: 'xlsx' | 'csv' | 'pdf';
}

export class CreateExportDto {
  @ApiProperty({ enum: ['coverage', 'untrained', 'summary'] }) @IsIn(['coverage', 'untrained', 'summary']) kind!: 'coverage' | 'untrained' | 'summary';
  @ApiProperty({ enum: ['xlsx', 'csv', 'pdf'] }) @IsIn(['xlsx', 'csv', 'pdf']) format!: 'xlsx' | 'csv' | 'pdf';
  @ApiProperty() @IsInt() @Min(1900) @Max(9999) year!: number;
  @ApiProperty() @IsUUID() unitId!: string;
  @ApiPropertyOptional({ enum: NETWORK_CATEGORIES }) @IsOptional() @IsIn(NETWORK_CATEGORIES) category?: NetworkCategory;
  @ApiPropertyOptional({ enum: REASONS }) @IsOptional() @IsIn(REASONS) reason?: UntrainedReason;
}

export class CreateRequirementDto {
  @ApiProperty() @IsInt() @Min(2000) @Max(2100) year!: number;
  @ApiProperty({ description: 'The rule covers this unit and its whole subtree' }) @IsUUID() orgUnitId!: string;
  @ApiPropertyOptional({ enum: NETWORK_CATEGORIES }) @IsOptional() @IsIn(NETWORK_CATEGORIES) networkCategory?: NetworkCategory;
  @ApiPropertyOptional() @IsOptional() @Transform(normalisedText) @IsString() @MaxLength(200) position?: string;
  @ApiPropertyOptional({ description: 'At least this many periods (tiết) of qualifying training' }) @IsOptional() @IsInt() @Min(1) @Max(1000) minPeriods?: number;
  @ApiPropertyOptional({ description: '… or all of these courses completed' }) @IsOptional() @IsArray() @ArrayMaxSize(20) @IsUUID('all', { each: true }) courseIds?: string[];
  @ApiPropertyOptional({ example: '2026-12-31', description: 'Last day a completion counts (default 31 December)' }) @IsOptional() @IsISO8601({ strict: true }) deadline?: string;
}

export class UpdateRequirementDto {
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(1000) minPeriods?: number | null;
  @ApiPropertyOptional() @IsOptional() @IsArray() @ArrayMaxSize(20) @IsUUID('all', { each: true }) courseIds?: string[];
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) deadline?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
}

export class CreateExemptionDto {
  @ApiProperty() @IsUUID() personId!: string;
  @ApiProperty() @IsInt() @Min(2000) @Max(2100) year!: number;
  @ApiProperty({ example: 'Nghỉ thai sản' }) @Transform(normalisedText) @IsString() @MinLength(3) @MaxLength(500) reason!: string;
}

export class ExemptionQueryDto {
  @ApiProperty() @Type(() => Number) @IsInt() @Min(1900) @Max(9999) year!: number;
  @ApiPropertyOptional() @IsOptional() @IsUUID() unitId?: string;
}
