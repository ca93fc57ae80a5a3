import { HttpClient, HttpErrorResponse, HttpInterceptorFn, HttpRequest } from '@angular/common/http';
import { Injectable, computed, inject, signal } from '@angular/core';
import { MatSnackBar } from '@angular/material/snack-bar';
import { CanActivateFn, Router } from '@angular/router';
import { catchError, firstValueFrom, from, switchMap, throwError } from 'rxjs';
import { COURSE_EDITOR_ROLES, ENROLMENT_MANAGER_ROLES, ErrorCode, ERROR_MESSAGES, LoginResponse, MeResponse, Role, STAFF_READER_ROLES } from '@dxtrain/shared/contracts';
import { I18n, isServiceUnavailable } from './i18n';

/** How restoring the session from the refresh cookie went. */
export type RestoreOutcome = 'signed-in' | 'signed-out' | 'unavailable';

/** The session: access token in memory only, refresh token in an httpOnly cookie the browser keeps. */
@Injectable({ providedIn: 'root' })
export class Auth {
  private readonly http = inject(HttpClient);
  readonly token = signal<string | null>(null);
  readonly me = signal<MeResponse | null>(null);
  readonly roles = computed(() => this.me()?.user.roles ?? []);
  readonly canReadStaff = computed(() => this.roles().some((r) => STAFF_READER_ROLES.includes(r)));
  readonly isAdmin = computed(() => this.roles().includes(Role.Admin));
  readonly canEditCourses = computed(() => this.roles().some((r) => COURSE_EDITOR_ROLES.includes(r)));
  readonly canManageEnrolment = computed(() => this.roles().some((r) => ENROLMENT_MANAGER_ROLES.includes(r)));
  /** HR (and organisers, admins) check stacks of certificates. */
  readonly canCheckCertificates = computed(() => this.roles().some((r) => r === Role.Hr || r === Role.Organiser || r === Role.Admin));
  private refreshing: Promise<boolean> | null = null;
  private restored: Promise<boolean> | null = null;

  async login(username: string, password: string): Promise<void> {
    const res = await firstValueFrom(this.http.post<LoginResponse>('/api/auth/login', { username, password }));
    this.token.set(res.accessToken);
    await this.loadMe();
  }

  async loadMe(): Promise<void> {
    this.me.set(await firstValueFrom(this.http.get<MeResponse>('/api/me')));
  }

  /**
   * One refresh at a time; true when a new access token was obtained, false when the session is over.
   * Rejects (with the HTTP error) when the api is unavailable: the session is then kept as it is — the
   * refresh cookie was not spent, so a later refresh still works.
   */
  refresh(): Promise<boolean> {
    this.refreshing ??= firstValueFrom(this.http.post<LoginResponse>('/api/auth/refresh', {}))
      .then((res) => {
        this.token.set(res.accessToken);
        return true;
      })
      .catch((err: unknown) => {
        if (isServiceUnavailable(err)) throw err;
        this.token.set(null);
        return false;
      })
      .finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  /** On app start: restore the session from the refresh cookie, once (tried again if the api was unavailable). */
  restoreSession(): Promise<RestoreOutcome> {
    this.restored ??= this.refresh()
      .then(async (ok) => {
        if (ok)
          await this.loadMe().catch((err: unknown) => {
            if (isServiceUnavailable(err)) throw err;
            this.me.set(null);
          });
        return ok && this.me() !== null;
      })
      .catch((err: unknown) => {
        this.restored = null;
        throw err;
      });
    return this.restored.then(
      (ok): RestoreOutcome => (ok ? 'signed-in' : 'signed-out'),
      (err: unknown): RestoreOutcome => {
        if (isServiceUnavailable(err)) return 'unavailable';
        throw err;
      },
    );
  }

  /** True when signed in (restored from the refresh cookie if needed). */
  restore(): Promise<boolean> {
    return this.restoreSession().then((outcome) => outcome === 'signed-in');
  }

  async logout(): Promise<void> {
    await firstValueFrom(this.http.post('/api/auth/logout', {})).catch(() => undefined);
    this.token.set(null);
    this.me.set(null);
    this.restored = Promise.resolve(false);
  }
}

const isAuthCall = (req: HttpRequest<unknown>) => req.url.startsWith('/api/auth/');

/**
 * Adds the bearer token; on a 401 from a non-auth call, refreshes once and retries once. A 503 (the
 * database or Redis is down) or no answer at all says so in a snack bar and keeps the session: no
 * refresh, no sign-out, the caller gets the error to show in place.
 */
export const authInterceptor: HttpInterceptorFn = (req, next) => {
  const auth = inject(Auth);
  const router = inject(Router);
  const snackBar = inject(MatSnackBar);
  const i18n = inject(I18n);
  const withToken = (r: HttpRequest<unknown>) => {
    const token = auth.token();
    return token && !isAuthCall(r) ? r.clone({ setHeaders: { Authorization: `Bearer ${token}` } }) : r;
  };
  return next(withToken(req)).pipe(
    catchError((err: unknown) => {
      if (isServiceUnavailable(err)) {
        snackBar.open(ERROR_MESSAGES[ErrorCode.ServiceUnavailable][i18n.lang()], 'OK', { duration: 8000 });
        return throwError(() => err);
      }
      if (!(err instanceof HttpErrorResponse) || err.status !== 401 || isAuthCall(req)) return throwError(() => err);
      return from(auth.refresh()).pipe(
        switchMap((ok) => {
          if (!ok) {
            void router.navigate(['/login']);
            return throwError(() => err);
          }
          return next(withToken(req));
        }),
      );
    }),
  );
};

export const signedIn: CanActivateFn = async () => {
  const auth = inject(Auth);
  const router = inject(Router);
  if (auth.me()) return true;
  const outcome = await auth.restoreSession();
  if (outcome === 'signed-in') return true;
  // The api is down: stay on the current page (the snack bar says why); the cookie still holds the session.
  if (outcome === 'unavailable' && router.navigated) return false;
  return router.createUrlTree(['/login']);
};

export const staffReader: CanActivateFn = () => (inject(Auth).canReadStaff() ? true : inject(Router).createUrlTree(['/no-access']));
export const adminOnly: CanActivateFn = () => (inject(Auth).isAdmin() ? true : inject(Router).createUrlTree(['/no-access']));
export const courseEditor: CanActivateFn = () => (inject(Auth).canEditCourses() ? true : inject(Router).createUrlTree(['/no-access']));
export const certificateChecker: CanActivateFn = () => (inject(Auth).canCheckCertificates() ? true : inject(Router).createUrlTree(['/no-access']));
export const enrolmentManager: CanActivateFn = () => (inject(Auth).canManageEnrolment() ? true : inject(Router).createUrlTree(['/no-access']));
