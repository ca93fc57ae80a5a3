import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSnackBar, MatSnackBarModule } from '@angular/material/snack-bar';
import { Router, RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { CertificateItem, CertificateStatus, formatVerificationCode, normaliseVerificationCode, PdfVerification, PublicVerification } from '@dxtrain/shared/contracts';
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
          if (items.some((c) => !c.pdfUrl && c.status !== CertificateStatus.Superseded) && tries++ < 10) setTimeout(load, 2000);
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

  constructor() {
    effect(() => {
      this.courseId();
      this.load();
    });
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

/** HR: check a whole stack of certificates (CSV of codes or serials) and download the statuses. */
@Component({
  selector: 'dx-bulk-verify',
  imports: [MatButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="page">
      <h1>{{ L().bulkTitle }}</h1>
      <p class="muted">{{ L().bulkHint }}</p>
      <input type="file" accept=".csv,text/csv,text/plain" data-testid="bulk-file" (change)="file.set($any($event.target).files?.[0] ?? null)" />
      <button mat-flat-button data-testid="bulk-run" [disabled]="!file()" (click)="run()">{{ L().bulkRun }}</button>
      @if (error()) {
        <p class="error" role="alert">{{ error() }}</p>
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
  private readonly http = inject(HttpClient);
  protected readonly file = signal<File | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly summary = signal<string | null>(null);

  async run(): Promise<void> {
    const file = this.file();
    if (!file) return;
    const form = new FormData();
    form.append('file', file);
    try {
      const csv = await firstValueFrom(this.http.post('/api/certificates/verify-bulk', form, { responseType: 'text' }));
      const rows = csv.replace(/^\uFEFF/, '').trim().split(/\r?\n/).slice(1);
      const valid = rows.filter((r) => r.split(',')[1] === CertificateStatus.Valid).length;
      this.summary.set(fmt(this.L().bulkDone, { n: rows.length, valid, other: rows.length - valid }));
      this.error.set(null);
      const href = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
      const a = document.createElement('a');
      a.href = href;
      a.download = 'ket-qua-xac-thuc.csv';
      a.click();
      setTimeout(() => URL.revokeObjectURL(href), 10_000);
    } catch (e) {
      // The error body of a text request arrives as a string.
      const body = (e as { error?: unknown })?.error;
      this.error.set(this.i18n.error(typeof body === 'string' ? { error: JSON.parse(body || '{}') } : e));
    }
  }
}
