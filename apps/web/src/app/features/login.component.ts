import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Router } from '@angular/router';
import { Auth } from '../core/auth';
import { I18n } from '../core/i18n';

@Component({
  selector: 'dx-login',
  imports: [FormsModule, MatCardModule, MatFormFieldModule, MatInputModule, MatButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: [':host { display: flex; justify-content: center; padding-top: 10vh; } mat-card { width: min(380px, 92vw); } form { display: flex; flex-direction: column; gap: 8px; }'],
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

  async submit(): Promise<void> {
    this.tried.set(true);
    if (!this.username.trim() || !this.password) return;
    this.busy.set(true);
    this.error.set(null);
    try {
      await this.auth.login(this.username, this.password);
      await this.router.navigate(['/']);
    } catch (e) {
      this.error.set(this.i18n.error(e));
    } finally {
      this.busy.set(false);
    }
  }
}
