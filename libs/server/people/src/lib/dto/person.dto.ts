import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { CreatePersonRequest, MAX_PAGE, MAX_PAGE_SIZE, NETWORK_CATEGORIES, NetworkCategory, UpdatePersonRequest } from '@dxtrain/shared/contracts';
import { normaliseName } from '@dxtrain/shared/vietnamese';

const name = ({ value }: { value: unknown }) => (typeof value === 'string' ? normaliseName(value) : value);
const trimOrNull = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const t = value.normalize('NFC').trim();
  return t === '' ? null : t;
};
const lowerOrNull = ({ value }: { value: unknown }) => {
  const t = trimOrNull({ value });
  return typeof t === 'string' ? t.toLowerCase() : t;
};
const STAFF_CODE = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const PHONE = /^\+?[0-9 .()-]{6,30}$/;

export class StaffQueryDto {
  @ApiPropertyOptional({ description: 'Unit whose whole subtree is listed' }) @IsOptional() @IsUUID() unitId?: string;
  @ApiPropertyOptional({ description: 'Name, staff code or email; diacritics and case ignored' }) @IsOptional() @IsString() @MaxLength(100) q?: string;
  @ApiPropertyOptional({ enum: NETWORK_CATEGORIES }) @IsOptional() @IsIn(NETWORK_CATEGORIES) category?: NetworkCategory;
  @ApiPropertyOptional({ enum: ['true', 'false', 'all'], default: 'true' }) @IsOptional() @IsIn(['true', 'false', 'all']) active?: 'true' | 'false' | 'all';
  @ApiPropertyOptional({ default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE) page?: number;
  @ApiPropertyOptional({ default: 25 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE_SIZE) pageSize?: number;
}

export class CreatePersonDto implements CreatePersonRequest {
  @ApiProperty() @Transform(trimOrNull) @IsString() @IsNotEmpty() @MaxLength(50) @Matches(STAFF_CODE, { message: 'staffCode may contain only letters, digits and . _ / -' })
  staffCode!: string;

  @ApiProperty() @Transform(name) @IsString() @IsNotEmpty() @MaxLength(200)
  fullName!: string;

  @ApiPropertyOptional({ nullable: true }) @IsOptional() @Transform(lowerOrNull) @ValidateIf((_, v) => v !== null) @IsEmail() @MaxLength(254)
  email?: string | null;

  @ApiPropertyOptional({ nullable: true }) @IsOptional() @Transform(trimOrNull) @ValidateIf((_, v) => v !== null) @Matches(PHONE, { message: 'phone must be a phone number' })
  phone?: string | null;

  @ApiProperty() @IsUUID()
  orgUnitId!: string;

  @ApiPropertyOptional({ nullable: true }) @IsOptional() @Transform(trimOrNull) @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(200)
  position?: string | null;

  @ApiPropertyOptional({ enum: NETWORK_CATEGORIES, nullable: true }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsIn(NETWORK_CATEGORIES)
  networkCategory?: NetworkCategory | null;

  @ApiPropertyOptional() @IsOptional() @IsBoolean()
  isFocalPoint?: boolean;
}

/** Every field optional, same rules. */
export class UpdatePersonDto extends PartialType(CreatePersonDto) implements UpdatePersonRequest {}
