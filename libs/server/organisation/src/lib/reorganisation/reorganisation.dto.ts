import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

export class ReorganisationUploadDto {
  @ApiPropertyOptional({ description: 'A name for the plan (defaults to the file name)', maxLength: 255 })
  @IsOptional() @IsString() @MaxLength(255) name?: string;
}

export class TemplateQueryDto {
  @ApiPropertyOptional({ enum: ['vi', 'en'] })
  @IsOptional() @IsIn(['vi', 'en']) lang?: 'vi' | 'en';
}
