import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { ALL_ROLES, CreateGrantRequest, LoginRequest, Role } from '@dxtrain/shared/contracts';

export class LoginDto implements LoginRequest {
  @ApiProperty({ example: 'admin' }) @IsString() @IsNotEmpty() @MaxLength(100)
  username!: string;

  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200)
  password!: string;
}

export class CreateGrantDto implements CreateGrantRequest {
  @ApiProperty({ enum: ALL_ROLES }) @IsIn(ALL_ROLES)
  role!: Role;

  @ApiProperty() @IsUUID()
  orgUnitId!: string;
}

export class CreateUserDto {
  @ApiProperty() @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsString() @Matches(/^[a-z0-9._-]{3,100}$/, { message: 'username: 3-100 characters a-z, 0-9, ".", "_", "-"' })
  username!: string;

  @ApiProperty() @IsString() @MinLength(10) @MaxLength(200)
  password!: string;

  @ApiProperty() @IsUUID()
  personId!: string;

  @ApiProperty({ required: false }) @IsOptional() @IsString() @MaxLength(200)
  displayName?: string;
}
