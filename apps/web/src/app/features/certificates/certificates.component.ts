import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSnackBar, MatSnackBarModule } from '@angular/material/snack-bar';
import { Router, RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import {
  ApiError,
  BULK_VERIFY_MAX_LINES,
  CertificateBatchResult,
  CertificateItem,
  CertificateStatus,
  CertificateTemplate,
  ErrorCode,
  formatVerificationCode,
  normaliseVerificationCode,
  PdfVerification,
  PublicVerification,
  Role,
  StoredFileInfo,
} from '@dxtrain/shared/contracts';
import { Auth } from '../../core/auth';
import { download } from '../../core/download';
import { I18n } from '../../core/i18n';
import { fmt } from '../learning/learning.i18n';
import { CERTIFICATES_I18N } from './certificates.i18n';

const MAX_PDF_BYTES = 10 * 1024 * 1024;

/** "My certificates": every certificate of the learner, with the PDF and the verify page. */
@Component({
  selector: 'dx-my-certificates',
  imports: [RouterLink, MatButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="page">
      <h1>{{ L().myCertificates }}</h1>
      @if (error()) {
        <p class="error" role="alert">{{ error() }}</p>
      }
      @for (c of items() ?? []; track c.id) {
        <article class="cert" data-testid="my-certificate">
          <div class="head">
            <strong>{{ c.courseTitle }}</strong>
            <span class="badge" [class.ok]="c.status === S.Valid" [class.warn]="c.status !== S.Valid" data-testid="my-certificate-status">{{ L().statuses[c.status] }}</span>
          </div>
          <dl>
            <dt>{{ L().serial }}</dt><dd data-testid="my-certificate-serial">{{ c.serial }}@if (c.version > 1) { ({{ fmt(L().version, { n: c.version }) }}) }</dd>
            <dt>{{ L().code }}</dt><dd class="code" data-testid="my-certificate-code">{{ formatCode(c.verificationCode) }}</dd>
            <dt>{{ L().issuedAt }}</dt><dd>{{ i18n.day(c.issuedAt) }}</dd>
            <dt>{{ L().periods }}</dt><dd>{{ fmt(L().periodsN, { n: c.periods }) }}</dd>
            <dt>{{ L().issuer }}</dt><dd>{{ c.issuer }}</dd>
          </dl>
          <div class="actions">
            @if (c.pdfUrl) {
              <a mat-flat-button [href]="c.pdfUrl" [attr.download]="'chung-nhan-' + c.serial + '.pdf'" data-testid="my-certificate-pdf">{{ L().download }}</a>
            } @else if (c.status === S.Revoked) {
              <span class="muted" data-testid="my-certificate-withdrawn">{{ L().pdfWithdrawn }}</span>
            } @else {
              <span class="muted">{{ L().rendering }}</span>
            }
            <a mat-button [routerLink]="['/verify', c.verificationCode]">{{ L().verifyLink }}</a>
          </div>
        </article>
      } @empty {
        <p class="muted">{{ items() ? L().none : '…' }}</p>
      }
    </div>
  `,
  styles: [
    `.cert { border: 1px solid #dde3ee; border-radius: 12px; padding: 12px 16px; margin-bottom: 12px; max-width: 760px; }
     .head { display: flex; justify-content: space-between; gap: 8px; flex-wrap: wrap; }
     dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 8px 0; }
     dt { color: #666; } dd { margin: 0; }
     .code { font-family: monospace; font-size: 16px; letter-spacing: 1px; }
     .actions { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }`,
  ],
})
export class MyCertificatesComponent {
  protected readonly S = CertificateStatus;
  protected readonly i18n = inject(I18n);
  protected readonly L = computed(() => this.i18n.pick(CERTIFICATES_I18N));
  protected readonly fmt = fmt;
  protected readonly formatCode = formatVerificationCode;
  private readonly http = inject(HttpClient);
  protected readonly items = signal<CertificateItem[] | null>(null);
  protected readonly error = signal<string | null>(null);

  constructor() {
    let tries = 0;
    const load = () =>
      firstValueFrom(this.http.get<CertificateItem[]>('/api/me/certificates'))
        .then((items) => {
          this.items.set(items);
          // A certificate issued seconds ago may still be rendering: look again shortly.
          if (items.some((c) => !c.pdfUrl && (c.status === CertificateStatus.Valid || c.status === CertificateStatus.Expired)) && tries++ < 10) setTimeout(load, 2000);
        })
        .catch((e) => (this.items.set([]), this.error.set(this.i18n.error(e))));
    load();
  }
}

/** Public verify page (no sign-in): by code (the QR opens it with the code) or by uploading the PDF. */
@Component({
  selector: 'dx-verify',
  imports: [FormsModule, RouterLink, MatButtonModule, MatFormFieldModule, MatInputModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="page narrow">
      <header class="top">
        <strong>dxtrain</strong>
        <span class="spacer"></span>
        <button mat-button (click)="i18n.toggle()">{{ i18n.t('language') }}</button>
        <a mat-button routerLink="/login">{{ L().signIn }}</a>
      </header>
      <h1>{{ L().verifyTitle }}</h1>
      <p class="muted">{{ L().verifyHint }}</p>
      <form class="row" (ngSubmit)="check()">
        <mat-form-field class="grow">
          <mat-label>{{ L().code }}</mat-label>
          <input matInput name="code" autocomplete="off" maxlength="20" data-testid="verify-code" [(ngModel)]="typed" />
        </mat-form-field>
        <button mat-flat-button type="submit" data-testid="verify-submit">{{ L().verifyButton }}</button>
      </form>
      @if (error()) {
        <p class="error" role="alert" data-testid="verify-error">{{ error() }}</p>
      }
      @if (result(); as r) {
        <section class="result" [class.bad]="r.status !== S.Valid" data-testid="verify-result">
          <p class="verdict" data-testid="verify-status">
            @switch (r.status) {
              @case (S.Valid) { ✔ {{ L().genuine }} }
              @case (S.Revoked) { ✖ {{ L().revokedNotice }} }
              @case (S.Superseded) { ⚠ {{ L().supersededNotice }} }
              @default { ⚠ {{ L().expiredNotice }} }
            }
          </p>
          <dl>
            <dt>{{ L().holder }}</dt><dd data-testid="verify-holder">{{ r.holderName }}</dd>
            <dt>{{ L().course }}</dt><dd>{{ r.courseTitle }}</dd>
            <dt>{{ L().periods }}</dt><dd>{{ fmt(L().periodsN, { n: r.periods }) }}</dd>
            <dt>{{ L().serial }}</dt><dd>{{ r.serial }}</dd>
            <dt>{{ L().issuedAt }}</dt><dd>{{ i18n.day(r.issuedAt) }}</dd>
            <dt>{{ L().issuer }}</dt><dd>{{ r.issuer }}</dd>
            @if (r.expiresAt) {
              <dt>{{ L().expiresAt }}</dt><dd>{{ i18n.day(r.expiresAt) }}</dd>
            }
            @if (r.revokedAt) {
              <dt>{{ L().revokedAt }}</dt><dd>{{ i18n.day(r.revokedAt) }}</dd>
              <dt>{{ L().reason }}</dt><dd data-testid="verify-reason">{{ r.revokedReason }}</dd>
            }
          </dl>
          <p class="muted small">{{ L().signature }}</p>
        </section>
      }
      <h2>{{ L().pdfTitle }}</h2>
      <p class="muted">{{ L().pdfHint }}</p>
      <input type="file" accept="application/pdf,.pdf" data-testid="verify-pdf" (change)="checkPdf($any($event.target).files?.[0])" />
      @if (pdf(); as p) {
        <p class="verdict" [class.error]="!p.authentic" data-testid="verify-pdf-result">{{ p.authentic ? '✔ ' + L().pdfAuthentic : '✖ ' + L().pdfNotAuthentic }}</p>
      }
    </div>
  `,
  styles: [
    `.narrow { max-width: 720px; margin: 0 auto; }
     .top { display: flex; align-items: center; gap: 8px; }
     .spacer { flex: 1; } .row { display: flex; gap: 12px; align-items: center; flex-wrap: wrap; } .grow { flex: 1; min-width: 220px; }
     .result { border: 2px solid #2e7d32; border-radius: 12px; padding: 12px 16px; margin: 12px 0; }
     .result.bad { border-color: #b3261e; }
     .verdict { font-size: 18px; font-weight: 500; }
     dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; } dt { color: #666; } dd { margin: 0; }
     .small { font-size: 12px; }`,
  ],
})
export class VerifyComponent {
  readonly code = input<string>();
  protected readonly S = CertificateStatus;
  protected readonly i18n = inject(I18n);
  protected readonly L = computed(() => this.i18n.pick(CERTIFICATES_I18N));
  protected readonly fmt = fmt;
  private readonly http = inject(HttpClient);
  private readonly router = inject(Router);
  protected typed = '';
  protected readonly result = signal<PublicVerification | null>(null);
  protected readonly pdf = signal<PdfVerification | null>(null);
  protected readonly error = signal<string | null>(null);

  constructor() {
    effect(() => {
      const code = this.code();
      if (!code) return;
      this.typed = formatVerificationCode(code.toUpperCase());
      this.lookup(code);
    });
  }

  check(): void {
    const code = normaliseVerificationCode(this.typed);
    if (!code) {
      this.result.set(null);
      this.error.set(this.i18n.error({ error: { code: 'VERIFICATION_CODE_INVALID' } }));
      return;
    }
    this.router.navigate(['/verify', code]);
  }

  private async lookup(code: string): Promise<void> {
    try {
      this.result.set(await firstValueFrom(this.http.get<PublicVerification>(`/api/public/verify/${encodeURIComponent(code)}`)));
      this.error.set(null);
    } catch (e) {
      this.result.set(null);
      this.error.set(this.i18n.error(e));
    }
  }

  async checkPdf(file: File | undefined): Promise<void> {
    this.pdf.set(null);
    if (!file) return;
    if (file.size > MAX_PDF_BYTES) return this.error.set(this.i18n.error({ error: { code: 'FILE_TOO_LARGE' } }));
    const form = new FormData();
    form.append('file', file);
    try {
      const r = await firstValueFrom(this.http.post<PdfVerification>('/api/public/verify/pdf', form));
      this.pdf.set(r);
      this.error.set(null);
      if (r.certificate) this.result.set(r.certificate);
    } catch (e) {
      this.error.set(this.i18n.error(e));
    }
  }
}

/** Organiser: a course's certificates, with revoke and corrected re-issue. */
@Component({
  selector: 'dx-course-certificates',
  imports: [MatButtonModule, MatSnackBarModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (error()) {
      <p class="error" role="alert">{{ error() }}</p>
    }
    <div class="actions">
      <button mat-stroked-button data-testid="certificates-issue-all" [disabled]="busy()" (click)="issueAll()">{{ L().issueAll }}</button>
      <button mat-stroked-button data-testid="certificates-zip" [disabled]="busy() || items().length === 0" (click)="zip()">{{ L().downloadZip }}</button>
    </div>
    <table class="data" data-testid="course-certificates">
      <thead>
        <tr><th>{{ L().serial }}</th><th>{{ L().holder }}</th><th>{{ L().issuedAt }}</th><th>{{ L().status }}</th><th></th></tr>
      </thead>
      <tbody>
        @for (c of items(); track c.id) {
          <tr data-testid="course-certificate-row">
            <td>{{ c.serial }}@if (c.version > 1) { <span class="muted">({{ fmt(L().version, { n: c.version }) }})</span> }<br /><span class="muted">{{ formatCode(c.verificationCode) }}</span></td>
            <td>{{ c.holderName }}</td>
            <td>{{ i18n.day(c.issuedAt) }}</td>
            <td><span class="badge" [class.ok]="c.status === S.Valid" [class.warn]="c.status !== S.Valid">{{ L().statuses[c.status] }}</span>@if (c.revokedReason) { <br /><span class="muted">{{ c.revokedReason }}</span> }</td>
            <td>
              @if (c.status === S.Valid) {
                <button mat-button (click)="reissue(c)">{{ L().reissue }}</button>
                <button mat-button data-testid="certificate-revoke" (click)="revoke(c)">{{ L().revoke }}</button>
              }
            </td>
          </tr>
        } @empty {
          <tr><td colspan="5" class="muted">{{ L().noCertificates }}</td></tr>
        }
      </tbody>
    </table>
  `,
})
export class CourseCertificatesComponent {
  readonly courseId = input.required<string>();
  protected readonly S = CertificateStatus;
  protected readonly i18n = inject(I18n);
  protected readonly L = computed(() => this.i18n.pick(CERTIFICATES_I18N));
  protected readonly fmt = fmt;
  protected readonly formatCode = formatVerificationCode;
  private readonly http = inject(HttpClient);
  private readonly snack = inject(MatSnackBar);
  protected readonly items = signal<CertificateItem[]>([]);
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal(false);

  constructor() {
    effect(() => {
      this.courseId();
      this.load();
    });
  }

  /** Certificates for every completion that has none (the worker issues them; the list refreshes as they come). */
  async issueAll(): Promise<void> {
    this.busy.set(true);
    try {
      const r = await firstValueFrom(this.http.post<CertificateBatchResult>('/api/certificates/batch', { courseId: this.courseId() }));
      this.snack.open(r.queued ? fmt(this.L().issueAllDone, { completions: r.completions, issued: r.alreadyIssued, queued: r.queued }) : this.L().issueAllNone, undefined, { duration: 5000 });
      if (r.queued) setTimeout(() => this.load(), 3000);
    } catch (e) {
      this.error.set(this.i18n.error(e));
    } finally {
      this.busy.set(false);
    }
  }

  async zip(): Promise<void> {
    this.busy.set(true);
    try {
      await download(this.http, `/api/certificates/archive.zip?courseId=${encodeURIComponent(this.courseId())}`, `chung-nhan-${this.courseId().slice(0, 8)}.zip`);
    } catch (e) {
      this.error.set(this.i18n.error(e));
    } finally {
      this.busy.set(false);
    }
  }

  private load(): void {
    firstValueFrom(this.http.get<CertificateItem[]>('/api/certificates', { params: { courseId: this.courseId() } }))
      .then((items) => (this.items.set(items), this.error.set(null)))
      .catch((e) => this.error.set(this.i18n.error(e)));
  }

  async revoke(c: CertificateItem): Promise<void> {
    const reason = prompt(`${c.serial} — ${c.holderName}\n${this.L().reasonPrompt}`)?.trim();
    if (!reason) return;
    try {
      await firstValueFrom(this.http.post(`/api/certificates/${c.id}/revoke`, { reason }));
      this.snack.open(fmt(this.L().revokedDone, { serial: c.serial }), undefined, { duration: 3000 });
      this.load();
    } catch (e) {
      this.error.set(this.i18n.error(e));
    }
  }

  async reissue(c: CertificateItem): Promise<void> {
    const reason = prompt(`${c.serial}\n${this.L().reissueReasonPrompt}`)?.trim();
    if (!reason) return;
    const holderName = prompt(this.L().holderPrompt, c.holderName)?.trim();
    if (!holderName) return;
    try {
      const r = await firstValueFrom(this.http.post<CertificateItem>(`/api/certificates/${c.id}/reissue`, { reason, holderName }));
      this.snack.open(fmt(this.L().reissuedDone, { serial: r.serial, n: r.version }), undefined, { duration: 3000 });
      this.load();
    } catch (e) {
      this.error.set(this.i18n.error(e));
    }
  }
}

/**
 * HR: check a whole stack of certificates (CSV of verification codes, or serials of certificates
 * issued in the caller's scope) and download the statuses. Every line counts against the same
 * per-IP limit as the public verify page.
 */
@Component({
  selector: 'dx-bulk-verify',
  imports: [MatButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: ['.steps { max-width: 760px; padding-left: 20px; } .steps li { margin-bottom: 6px; } .row { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin: 12px 0; }'],
  template: `
    <div class="page">
      <h1>{{ L().bulkTitle }}</h1>
      <p class="muted">{{ L().bulkHint }}</p>
      <ul class="steps" data-testid="bulk-instructions">
        <li>{{ L().bulkCodes }}</li>
        <li>{{ L().bulkSerials }}</li>
        <li>{{ fmt(L().bulkLimit, { max: maxLines }) }}</li>
      </ul>
      <div class="row">
        <button mat-button type="button" data-testid="bulk-template" (click)="template()">{{ L().bulkTemplate }}</button>
      </div>
      <div class="row">
        <input type="file" accept=".csv,text/csv,text/plain" data-testid="bulk-file" (change)="file.set($any($event.target).files?.[0] ?? null)" />
        <button mat-flat-button data-testid="bulk-run" [disabled]="!file() || busy()" (click)="run()">{{ L().bulkRun }}</button>
      </div>
      @if (error()) {
        <p class="error" role="alert" data-testid="bulk-error">{{ error() }}</p>
      }
      @if (summary()) {
        <p data-testid="bulk-summary">{{ summary() }}</p>
      }
    </div>
  `,
})
export class BulkVerifyComponent {
  protected readonly S = CertificateStatus;
  protected readonly i18n = inject(I18n);
  protected readonly L = computed(() => this.i18n.pick(CERTIFICATES_I18N));
  protected readonly fmt = fmt;
  protected readonly maxLines = BULK_VERIFY_MAX_LINES;
  private readonly http = inject(HttpClient);
  protected readonly file = signal<File | null>(null);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly summary = signal<string | null>(null);

  /** A CSV to fill in: one column of verification codes (BOM, so Excel reads the Vietnamese header). */
  template(): void {
    this.save(`\uFEFF${this.L().bulkTemplateHeader}\r\n7K2M-9QXD-4TRB\r\n`, 'mau-xac-thuc-hang-loat.csv');
  }

  async run(): Promise<void> {
    const file = this.file();
    if (!file) return;
    const form = new FormData();
    form.append('file', file);
    this.busy.set(true);
    try {
      const csv = await firstValueFrom(this.http.post('/api/certificates/verify-bulk', form, { responseType: 'text' }));
      const rows = csv.replace(/^\uFEFF/, '').trim().split(/\r?\n/).slice(1);
      const valid = rows.filter((r) => r.split(',')[1] === CertificateStatus.Valid).length;
      this.summary.set(fmt(this.L().bulkDone, { n: rows.length, valid, other: rows.length - valid }));
      this.error.set(null);
      this.save(csv, 'ket-qua-xac-thuc.csv');
    } catch (e) {
      this.summary.set(null);
      this.error.set(this.explain(e));
    } finally {
      this.busy.set(false);
    }
  }

  /** The limit's refusals say when to try again and how much is left; other errors as usual. */
  private explain(e: unknown): string {
    const err = e as { status?: number; error?: unknown; headers?: { get(name: string): string | null } };
    // The error body of a text request arrives as a string.
    let body: ApiError | undefined;
    try {
      body = typeof err?.error === 'string' ? JSON.parse(err.error || '{}') : (err?.error as ApiError | undefined);
    } catch {
      body = undefined;
    }
    const detail = (field: string) => body?.details?.find((d) => d.field === field)?.message ?? '?';
    if (err?.status === 429) {
      const seconds = err.headers?.get('Retry-After') ?? detail('retryAfterSeconds');
      return fmt(this.L().bulkRateLimited, { seconds, remaining: detail('remaining') });
    }
    if (body?.code === ErrorCode.CertificateBulkTooManyLines) return fmt(this.L().bulkTooManyLines, { n: detail('lines'), max: detail('max') });
    return this.i18n.error(body ? { error: body } : e);
  }

  private save(text: string, fileName: string): void {
    const href = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = href;
    a.download = fileName;
    a.click();
    setTimeout(() => URL.revokeObjectURL(href), 10_000);
  }
}

/** Organisers and admins: the certificate template of a unit they manage (signer, wording, place, validity, logo). */
@Component({
  selector: 'dx-certificate-templates',
  imports: [FormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, MatSnackBarModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: ['form { display: grid; gap: 4px; max-width: 640px; } .logo { max-height: 64px; } .row { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }'],
  template: `
    <section class="page">
      <h1>{{ L().templatesTitle }}</h1>
      <p class="muted">{{ L().templatesHint }}</p>
      <mat-form-field>
        <mat-label>{{ L().templateUnit }}</mat-label>
        <select matNativeControl data-testid="template-unit" [ngModel]="unitId()" (ngModelChange)="unitId.set($event)">
          @for (u of units(); track u.id) {
            <option [value]="u.id">{{ u.name }}</option>
          }
        </select>
      </mat-form-field>
      @if (template(); as t) {
        <p data-testid="template-origin">
          @if (!t.inherited) {
            {{ fmt(L().templateOwn, { date: i18n.day(t.updatedAt) }) }}
          } @else if (t.updatedAt) {
            {{ fmt(L().templateInherited, { unit: t.issuerUnitName }) }}
          } @else {
            {{ L().templateBuiltIn }}
          }
        </p>
      }
      @if (error()) {
        <p class="error" role="alert" data-testid="template-error">{{ error() }}</p>
      }
      <form (ngSubmit)="save()">
        <mat-form-field>
          <mat-label>{{ L().signerTitle }}</mat-label>
          <textarea matInput rows="2" name="signerTitle" data-testid="template-signer-title" [(ngModel)]="signerTitle" maxlength="200"></textarea>
        </mat-form-field>
        <mat-form-field>
          <mat-label>{{ L().signerName }}</mat-label>
          <input matInput name="signerName" data-testid="template-signer-name" [(ngModel)]="signerName" maxlength="200" />
        </mat-form-field>
        <mat-form-field>
          <mat-label>{{ L().place }}</mat-label>
          <input matInput name="place" [(ngModel)]="place" maxlength="100" />
        </mat-form-field>
        <mat-form-field>
          <mat-label>{{ L().subtitle }}</mat-label>
          <input matInput name="subtitle" data-testid="template-subtitle" [(ngModel)]="subtitle" maxlength="200" />
        </mat-form-field>
        <mat-form-field>
          <mat-label>{{ L().validityMonths }}</mat-label>
          <input matInput name="validity" data-testid="template-validity" inputmode="numeric" [(ngModel)]="validity" />
        </mat-form-field>
        <div class="row">
          <label>{{ L().logo }} <input type="file" accept="image/png,image/jpeg" (change)="upload($event)" /></label>
          @if (logoFileId(); as logo) {
            <span class="muted" data-testid="template-logo">✓ {{ logoName() || logo.slice(0, 8) }}</span>
            <button mat-button type="button" (click)="logoFileId.set(null); logoName.set('')">{{ L().logoRemove }}</button>
          }
        </div>
        <div class="row">
          <button mat-flat-button type="submit" data-testid="template-save" [disabled]="busy()">{{ L().save }}</button>
          @if (template() && !template()!.inherited) {
            <button mat-button type="button" data-testid="template-reset" [disabled]="busy()" (click)="reset()">{{ L().resetTemplate }}</button>
          }
        </div>
      </form>
    </section>
  `,
})
export class CertificateTemplatesComponent {
  protected readonly i18n = inject(I18n);
  protected readonly L = computed(() => this.i18n.pick(CERTIFICATES_I18N));
  protected readonly fmt = fmt;
  private readonly http = inject(HttpClient);
  private readonly snack = inject(MatSnackBar);
  private readonly auth = inject(Auth);
  /** The units the user may set templates for: those of their admin/organiser grants. */
  protected readonly units = computed(() => {
    const seen = new Map<string, { id: string; name: string }>();
    for (const g of this.auth.me()?.grants ?? []) if (g.role === Role.Admin || g.role === Role.Organiser) seen.set(g.orgUnitId, { id: g.orgUnitId, name: g.orgUnitName });
    return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name, 'vi'));
  });
  protected readonly unitId = signal<string>('');
  protected readonly template = signal<CertificateTemplate | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected signerTitle = '';
  protected signerName = '';
  protected place = '';
  protected subtitle = '';
  protected validity = '';
  protected readonly logoFileId = signal<string | null>(null);
  protected readonly logoName = signal('');

  constructor() {
    effect(() => {
      if (!this.unitId() && this.units().length) this.unitId.set(this.units()[0].id);
    });
    effect(() => {
      const id = this.unitId();
      if (id) void this.load(id);
    });
  }

  private async load(unitId: string): Promise<void> {
    try {
      const t = await firstValueFrom(this.http.get<CertificateTemplate>(`/api/certificate-templates/${unitId}`));
      this.template.set(t);
      this.signerTitle = t.signerTitle;
      this.signerName = t.signerName;
      this.place = t.place ?? '';
      this.subtitle = t.subtitle ?? '';
      this.validity = t.validityMonths ? String(t.validityMonths) : '';
      this.logoFileId.set(t.logoFileId);
      this.logoName.set('');
      this.error.set(null);
    } catch (e) {
      this.error.set(this.i18n.error(e));
    }
  }

  async upload(event: Event): Promise<void> {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (!file) return;
    const form = new FormData();
    form.append('file', file);
    try {
      const stored = await firstValueFrom(this.http.post<StoredFileInfo>('/api/files', form));
      this.logoFileId.set(stored.id);
      this.logoName.set(stored.fileName);
      this.error.set(null);
    } catch (e) {
      this.error.set(this.i18n.error(e));
    }
  }

  async save(): Promise<void> {
    if (!this.signerTitle.trim()) return this.error.set(this.L().signerTitleRequired);
    const months = this.validity.trim() ? Number(this.validity.trim()) : null;
    if (months !== null && (!Number.isInteger(months) || months < 1 || months > 240)) return this.error.set(this.L().validityInvalid);
    this.busy.set(true);
    try {
      const body = {
        signerTitle: this.signerTitle,
        signerName: this.signerName,
        place: this.place.trim() || null,
        subtitle: this.subtitle.trim() || null,
        validityMonths: months,
        logoFileId: this.logoFileId(),
      };
      this.template.set(await firstValueFrom(this.http.put<CertificateTemplate>(`/api/certificate-templates/${this.unitId()}`, body)));
      this.error.set(null);
      this.snack.open(this.L().saved, undefined, { duration: 3000 });
    } catch (e) {
      this.error.set(this.i18n.error(e));
    } finally {
      this.busy.set(false);
    }
  }

  async reset(): Promise<void> {
    this.busy.set(true);
    try {
      await firstValueFrom(this.http.delete(`/api/certificate-templates/${this.unitId()}`));
      this.snack.open(this.L().removed, undefined, { duration: 3000 });
      await this.load(this.unitId());
    } catch (e) {
      this.error.set(this.i18n.error(e));
    } finally {
      this.busy.set(false);
    }
  }
}
