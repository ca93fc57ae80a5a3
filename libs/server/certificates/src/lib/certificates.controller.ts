import { Body, Controller, Delete, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Put, Query, Req, Res, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { CertificateBatchResult, CertificateItem, CertificateTemplate, COURSE_EDITOR_ROLES, ErrorCode, PdfVerification, PublicKeyInfo, PublicVerification, Role } from '@dxtrain/shared/contracts';
import { Actor, CurrentActor, fileAnswer, FileUpload, HttpReply, HttpRequest, Public, RequireRoles, tooLargeAs, SignedIn } from '@dxtrain/server/platform';
import { toCsv } from '@dxtrain/server/spreadsheets';
import { CertificatesService, VerifyRateLimitedException } from './certificates.service';

const uuid = new ParseUUIDPipe();

/** Runs a call of the verification limiter; a refusal carries Retry-After (seconds until the window reopens). */
async function limited<T>(res: HttpReply, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof VerifyRateLimitedException) res.header('Retry-After', String(e.retryAfterSeconds));
    throw e;
  }
}
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.normalize('NFC').trim() : value);
/** The largest PDF the public check reads (a certificate is ~60 KB). */
export const MAX_VERIFY_PDF_BYTES = 10 * 1024 * 1024;

export class RevokeDto {
  @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(500) reason!: string;
}

export class ReissueDto extends RevokeDto {
  @IsOptional() @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(200) holderName?: string;
}

export class CertificateQueryDto {
  @IsOptional() @IsUUID() courseId?: string;
  @IsOptional() @IsUUID() classId?: string;
}

export class ManualIssueDto {
  @IsUUID() courseId!: string;
  @IsUUID() personId!: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(2000) @Max(2100) year?: number;
}

export class BatchIssueDto {
  @IsUUID() courseId!: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(2000) @Max(2100) year?: number;
}

export class TemplateDto {
  @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(200) signerTitle!: string;
  @Transform(trim) @IsString() @MaxLength(200) signerName!: string;
  @IsOptional() @Transform(trim) @IsString() @MaxLength(100) place?: string | null;
  @IsOptional() @Transform(trim) @IsString() @MaxLength(200) subtitle?: string | null;
  @IsOptional() @IsInt() @Min(1) @Max(240) validityMonths?: number | null;
  @IsOptional() @IsUUID() logoFileId?: string | null;
}

/** Deliberately public: anyone holding a certificate (or its QR) can check it. Rate-limited per IP. */
@ApiTags('certificates')
@Public()
@Controller('public')
export class PublicCertificatesController {
  constructor(private readonly certificates: CertificatesService) {}

  /** The issuers' Ed25519 public keys, to check a certificate's signature without trusting our database. */
  @Get('keys')
  keys(): Promise<PublicKeyInfo[]> {
    return this.certificates.publicKeys();
  }

  @Get('verify/:code')
  async verify(@Param('code') code: string, @Req() req: HttpRequest, @Res({ passthrough: true }) res: HttpReply): Promise<PublicVerification> {
    await limited(res, () => this.certificates.rateLimit(req.ip ?? null));
    return this.certificates.verifyCode(code);
  }

  @Post('verify/pdf')
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  @UseInterceptors(tooLargeAs(ErrorCode.FileTooLarge), FileUpload('file', { maxBytes: MAX_VERIFY_PDF_BYTES, files: 1 }))
  async verifyPdf(@UploadedFile() file: { buffer: Buffer } | undefined, @Req() req: HttpRequest, @Res({ passthrough: true }) res: HttpReply): Promise<PdfVerification> {
    await limited(res, () => this.certificates.rateLimit(req.ip ?? null));
    return this.certificates.verifyPdf(file);
  }

  /**
   * A certificate's PDF behind the signed URL of `pdfUrl` (a plain link: the browser sends no bearer
   * token). The certificate's status is read at every download: revoked or superseded → 410.
   */
  @Get('certificates/:id/pdf')
  // Never from a cache: a revocation must take effect on the next click.
  @Header('Cache-Control', 'no-store')
  async pdf(@Param('id', uuid) id: string, @Query('expires') expires: string, @Query('sig') sig: string): Promise<StreamableFile> {
    const pdf = await this.certificates.openPdf(id, expires, sig);
    return new StreamableFile(pdf.stream, { type: 'application/pdf', length: pdf.size, disposition: `inline; filename*=UTF-8''${encodeURIComponent(pdf.fileName)}` });
  }
}

@ApiTags('certificates')
@ApiBearerAuth()
@Controller('certificates')
export class CertificatesController {
  constructor(private readonly certificates: CertificatesService) {}

  /** Organisers: certificates of the courses in their scope. */
  @Get()
  @RequireRoles(...COURSE_EDITOR_ROLES)
  list(@CurrentActor() actor: Actor, @Query() query: CertificateQueryDto): Promise<CertificateItem[]> {
    return this.certificates.list(actor, query.courseId, query.classId);
  }

  /** Organisers: every rendered certificate of a course or class as one ZIP. */
  @Get('archive.zip')
  @RequireRoles(...COURSE_EDITOR_ROLES)
  async archive(@CurrentActor() actor: Actor, @Query() query: CertificateQueryDto, @Res({ passthrough: true }) res: HttpReply): Promise<StreamableFile> {
    const { fileName, count, stream } = await this.certificates.archive(actor, query);
    res.header('X-Certificate-Count', String(count));
    return new StreamableFile(stream, { type: 'application/zip', disposition: `attachment; filename="${fileName}"` });
  }

  /** Organisers: a certificate for one learner who completed the course (e.g. the automatic one failed or was revoked in error). */
  @Post()
  @RequireRoles(...COURSE_EDITOR_ROLES)
  issue(@CurrentActor() actor: Actor, @Body() dto: ManualIssueDto): Promise<CertificateItem> {
    return this.certificates.issueManually(actor, dto.courseId, dto.personId, dto.year);
  }

  /** Organisers: certificates for every completion of a course that has none yet (issued by the worker). */
  @Post('batch')
  @HttpCode(202)
  @RequireRoles(...COURSE_EDITOR_ROLES)
  batch(@CurrentActor() actor: Actor, @Body() dto: BatchIssueDto): Promise<CertificateBatchResult> {
    return this.certificates.requestBatch(actor, dto.courseId, dto.year ?? null);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @RequireRoles(...COURSE_EDITOR_ROLES)
  revoke(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() dto: RevokeDto): Promise<CertificateItem> {
    return this.certificates.revoke(actor, id, dto.reason);
  }

  @Post(':id/reissue')
  @RequireRoles(...COURSE_EDITOR_ROLES)
  reissue(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() dto: ReissueDto): Promise<CertificateItem> {
    return this.certificates.reissue(actor, id, dto.reason, dto.holderName);
  }

  /**
   * HR: a CSV of verification codes (any issuer) or serials (issuers in the caller's scope only) → a
   * CSV with the status of each. Each distinct line counts against the public check's per-IP limit.
   */
  @Post('verify-bulk')
  @HttpCode(200)
  @RequireRoles(Role.Admin, Role.Hr, Role.Organiser)
  @ApiConsumes('multipart/form-data')
  @UseInterceptors(tooLargeAs(ErrorCode.FileTooLarge), FileUpload('file', { maxBytes: MAX_VERIFY_PDF_BYTES, files: 1 }))
  async verifyBulk(@CurrentActor() actor: Actor, @UploadedFile() file: { buffer: Buffer } | undefined, @Req() req: HttpRequest, @Res({ passthrough: true }) res: HttpReply): Promise<StreamableFile> {
    const rows = await limited(res, () => this.certificates.verifyBulk(actor, file, req.ip ?? null));
    const csv = toCsv(['Mã xác thực / số vào sổ', 'Trạng thái', 'Số vào sổ', 'Họ và tên', 'Khoá học', 'Ngày cấp'], rows, { bom: true });
    return fileAnswer(csv, 'text/csv; charset=utf-8', 'attachment; filename="ket-qua-xac-thuc.csv"');
  }
}

@ApiTags('certificates')
@ApiBearerAuth()
@Controller('me/certificates')
export class MyCertificatesController {
  constructor(private readonly certificates: CertificatesService) {}

  @SignedIn('own')


  @Get()
  mine(@CurrentActor() actor: Actor): Promise<CertificateItem[]> {
    return this.certificates.mine(actor);
  }
}

/** Issuer templates (signer, wording, place, validity, logo), inherited down the org tree. */
@ApiTags('certificates')
@ApiBearerAuth()
@Controller('certificate-templates')
@RequireRoles(...COURSE_EDITOR_ROLES)
export class CertificateTemplatesController {
  constructor(private readonly certificates: CertificatesService) {}

  @Get(':unitId')
  get(@CurrentActor() actor: Actor, @Param('unitId', uuid) unitId: string): Promise<CertificateTemplate> {
    return this.certificates.template(actor, unitId);
  }

  @Put(':unitId')
  save(@CurrentActor() actor: Actor, @Param('unitId', uuid) unitId: string, @Body() dto: TemplateDto): Promise<CertificateTemplate> {
    return this.certificates.saveTemplate(actor, unitId, dto);
  }

  @Delete(':unitId')
  remove(@CurrentActor() actor: Actor, @Param('unitId', uuid) unitId: string): Promise<CertificateTemplate> {
    return this.certificates.deleteTemplate(actor, unitId);
  }
}
