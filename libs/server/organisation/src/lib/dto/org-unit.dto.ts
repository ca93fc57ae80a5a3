import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDateString, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateIf } from 'class-validator';
import {
  CreateOrgUnitRequest,
  MergeOrgUnitRequest,
  MoveOrgUnitRequest,
  ORG_UNIT_KINDS,
  OrgUnitKind,
  UpdateOrgUnitRequest,
} from '@dxtrain/shared/contracts';
import { normalisedText } from '@dxtrain/server/platform';

const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const CODE_MESSAGE = 'code may contain only letters, digits, ".", "_" and "-"';

export class OrgUnitListQueryDto {
  @ApiPropertyOptional({ description: 'List the children of this unit' })
  @IsOptional() @IsUUID() parentId?: string;

  @ApiPropertyOptional({ description: 'Search names and codes (diacritics-insensitive), up to 50 results' })
  @IsOptional() @IsString() @MaxLength(100) q?: string;
}

export class CreateOrgUnitDto implements CreateOrgUnitRequest {
  @ApiProperty() @Transform(normalisedText) @IsString() @IsNotEmpty() @MaxLength(50) @Matches(CODE_PATTERN, { message: CODE_MESSAGE })
  code!: string;

  @ApiProperty() @Transform(normalisedText) @IsString() @IsNotEmpty() @MaxLength(255)
  name!: string;

  @ApiProperty({ enum: ORG_UNIT_KINDS }) @IsIn(ORG_UNIT_KINDS)
  kind!: OrgUnitKind;

  @ApiPropertyOptional({ description: 'Omit for a new top-level unit (province)' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsUUID()
  parentId?: string | null;

  @ApiPropertyOptional({ example: '2025-07-01' }) @IsOptional() @IsDateString({ strict: true })
  validFrom?: string;
}

export class UpdateOrgUnitDto extends PartialType(OmitType(CreateOrgUnitDto, ['parentId'] as const)) implements UpdateOrgUnitRequest {
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsDateString({ strict: true })
  validTo?: string | null;
}

export class MoveOrgUnitDto implements MoveOrgUnitRequest {
  @ApiProperty() @IsUUID()
  newParentId!: string;
}

export class MergeOrgUnitDto implements MergeOrgUnitRequest {
  @ApiProperty({ description: 'The unit that absorbs this one' }) @IsUUID()
  targetId!: string;

  @ApiPropertyOptional({ example: '2025-07-01' }) @IsOptional() @IsDateString({ strict: true })
  effectiveDate?: string;
}
