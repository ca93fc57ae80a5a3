import { HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Router } from '@angular/router';
import { ApiError, ErrorCode } from '@dxtrain/shared/contracts';
import { Auth } from '../core/auth';
import { I18n } from '../core/i18n';

@Component({
  selector: 'dx-login',
  imports: [FormsModule, MatCardModule, MatFormFieldModule, MatInputModule, MatButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: [':host { display: flex; justify-content: center; padding-top: 10vh; } mat-card { width: min(380px, 92vw); } form { display: flex; flex-direction: column; gap: 8px; } .retry { margin: 0; font-weight: 500; }'],
  template: `
    <mat-card appearance="outlined">
      <mat-card-header>
        <mat-card-title>{{ i18n.t('appName') }}</mat-card-title>
        <mat-card-subtitle>{{ i18n.t('tagline') }}</mat-card-subtitle>
      </mat-card-header>
      <mat-card-content>
        <form (ngSubmit)="submit()" #f="ngForm" novalidate>
          <mat-form-field>
            <mat-label>{{ i18n.t('username') }}</mat-label>
            <input matInput name="username" data-testid="login-username" autocomplete="username" required [(ngModel)]="username" #u="ngModel" />
            @if (u.invalid && (u.touched || tried())) {
              <mat-error>{{ i18n.t('required') }}</mat-error>
            }
          </mat-form-field>
          <mat-form-field>
            <mat-label>{{ i18n.t('password') }}</mat-label>
            <input matInput type="password" name="password" data-testid="login-password" autocomplete="current-password" required [(ngModel)]="password" #p="ngModel" />
            @if (p.invalid && (p.touched || tried())) {
              <mat-error>{{ i18n.t('required') }}</mat-error>
            }
          </mat-form-field>
          @if (error()) {
            <p class="error" role="alert" data-testid="login-error">{{ error() }}</p>
          }
          @if (retryMinutes(); as minutes) {
            <p class="retry" role="status" data-testid="login-retry">{{ i18n.pick(RETRY)(minutes) }}</p>
          }
          <button mat-flat-button type="submit" data-testid="login-submit" [disabled]="busy()">{{ i18n.t('signIn') }}</button>
          <button mat-button type="button" data-testid="lang-switch" (click)="i18n.toggle()">{{ i18n.t('language') }}</button>
        </form>
      </mat-card-content>
    </mat-card>
  `,
})
export class LoginComponent {
  protected readonly i18n = inject(I18n);
  private readonly auth = inject(Auth);
  private readonly router = inject(Router);
  protected username = '';
  protected password = '';
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly tried = signal(false);
  /** Minutes until this device may try again, when the api delays its sign-ins (429 with retryAfterSeconds). */
  protected readonly retryMinutes = signal<number | null>(null);
  protected readonly RETRY = {
    vi: (n: number) => `Thử lại sau ${n} phút`,
    en: (n: number) => `Try again in ${n} minute${n === 1 ? '' : 's'}`,
  };

  async submit(): Promise<void> {
    this.tried.set(true);
    if (!this.username.trim() || !this.password) return;
    this.busy.set(true);
    this.error.set(null);
    this.retryMinutes.set(null);
    try {
      await this.auth.login(this.username, this.password);
      await this.router.navigate(['/']);
    } catch (e) {
      this.error.set(this.i18n.error(e));
      const seconds = retryAfterSeconds(e);
      this.retryMinutes.set(seconds === null ? null : Math.max(1, Math.ceil(seconds / 60)));
    } finally {
      this.busy.set(false);
    }
  }
}

/** The wait the api asks for on a throttled sign-in: `retryAfterSeconds` in the details, else the Retry-After header. */
function retryAfterSeconds(e: unknown): number | null {
  if (!(e instanceof HttpErrorResponse) || e.status !== 429) return null;
  const body = e.error as ApiError | null;
  if (body?.code && body.code !== ErrorCode.TooManyAttempts) return null;
  const detail = body?.details?.find((d) => d.field === 'retryAfterSeconds')?.message ?? e.headers.get('Retry-After');
  const seconds = Number(detail);
  return detail && Number.isFinite(seconds) && seconds > 0 ? seconds : null;
}
