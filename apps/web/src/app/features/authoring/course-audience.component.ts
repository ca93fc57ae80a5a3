import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, DestroyRef, effect, inject, input, output, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatAutocompleteModule, MatAutocompleteSelectedEvent } from '@angular/material/autocomplete';
import { MatButtonModule } from '@angular/material/button';
import { MatChipsModule } from '@angular/material/chips';
import { ErrorStateMatcher } from '@angular/material/core';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatRadioModule } from '@angular/material/radio';
import { MatSnackBar } from '@angular/material/snack-bar';
import { firstValueFrom } from 'rxjs';
import { ApiError, COURSE_AUDIENCE_SCOPES, CourseAudience, CourseAudienceScope, ErrorCode, OrgUnitSummary } from '@dxtrain/shared/contracts';
import { I18n } from '../../core/i18n';
import { fmt } from '../learning/learning.i18n';
import { AUTHORING_I18N } from './authoring.i18n';

/** The server accepts at most this many named units (CourseAudienceDto). */
const MAX_AUDIENCE_UNITS = 50;

type Unit = { id: string; name: string };

/**
 * Who may take the published course: the owner unit's subtree (default), named units (and their subtrees), or
 * everyone. Saved on its own (PUT /api/courses/:id/audience), it applies at once, without publishing a version.
 */
@Component({
  selector: 'dx-course-audience',
  imports: [FormsModule, MatAutocompleteModule, MatButtonModule, MatChipsModule, MatFormFieldModule, MatIconModule, MatInputModule, MatRadioModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="audience" aria-labelledby="audience-heading" data-testid="course-audience">
      <h2 id="audience-heading">{{ L().audienceScopeTitle }}</h2>
      <form (ngSubmit)="save()">
        <mat-radio-group class="choices" name="scope" aria-labelledby="audience-heading" data-testid="audience-scope" [ngModel]="scope()" (ngModelChange)="choose($event)">
          @for (s of scopes; track s) {
            <mat-radio-button [value]="s" [attr.data-testid]="'audience-scope-' + s">{{ L().audienceScopes[s] }}</mat-radio-button>
          }
        </mat-radio-group>
        @if (scope() === Scope.Units) {
          <mat-form-field class="picker">
            <mat-label>{{ L().audienceUnits }}</mat-label>
            <mat-chip-grid #grid name="units" [attr.aria-label]="L().audienceUnits" [ngModel]="unitIds()" [errorStateMatcher]="unitsMatcher" data-testid="audience-units">
              @for (u of units(); track u.id) {
                <mat-chip-row (removed)="removeUnit(u.id)" data-testid="audience-unit">
                  {{ u.name }}
                  <button matChipRemove type="button" [attr.aria-label]="fmt(L().audienceRemoveUnit, { name: u.name })"><mat-icon>cancel</mat-icon></button>
                </mat-chip-row>
              }
              <input
                #unitInput
                [placeholder]="L().audienceSearch"
                [matChipInputFor]="grid"
                [matAutocomplete]="auto"
                [disabled]="units().length >= max"
                data-testid="audience-unit-search"
                (input)="search($any($event.target).value)"
              />
            </mat-chip-grid>
            <mat-autocomplete #auto="matAutocomplete" (optionSelected)="addUnit($event, unitInput)">
              @for (u of results(); track u.id) {
                <mat-option [value]="u" data-testid="audience-unit-option">{{ u.name }} <span class="muted">· {{ u.code }}</span></mat-option>
              }
              @if (searched() && results().length === 0) {
                <mat-option disabled>{{ i18n.t('noResults') }}</mat-option>
              }
            </mat-autocomplete>
            <mat-hint>{{ units().length >= max ? fmt(L().audienceMaxUnits, { n: max }) : L().audienceUnitsHint }}</mat-hint>
            <mat-error data-testid="audience-units-error">{{ unitsError() }}</mat-error>
          </mat-form-field>
        }
        <p class="muted hint">{{ L().audienceHint }}</p>
        @if (error()) {
          <p class="error" role="alert" data-testid="audience-error">{{ error() }}</p>
        }
        <button mat-flat-button type="submit" data-testid="audience-save" [disabled]="busy()">{{ L().audienceSave }}</button>
      </form>
    </section>
  `,
  styles: [
    `.audience { border: 1px solid #e0e4ec; border-radius: 12px; padding: 8px 16px 16px; margin: 12px 0 20px; }
     .audience h2 { font-size: 18px; margin: 8px 0; }
     .choices { display: flex; flex-direction: column; align-items: flex-start; gap: 4px; margin-bottom: 8px; }
     .picker { width: 100%; max-width: 720px; }
     .hint { margin: 4px 0 12px; }`,
  ],
})
export class CourseAudienceComponent {
  readonly courseId = input.required<string>();
  readonly audience = input.required<CourseAudience>();
  readonly saved = output<CourseAudience>();
  protected readonly i18n = inject(I18n);
  protected readonly L = computed(() => this.i18n.pick(AUTHORING_I18N));
  protected readonly fmt = fmt;
  protected readonly Scope = CourseAudienceScope;
  protected readonly scopes = COURSE_AUDIENCE_SCOPES;
  protected readonly max = MAX_AUDIENCE_UNITS;
  private readonly http = inject(HttpClient);
  private readonly snack = inject(MatSnackBar);
  protected readonly scope = signal<CourseAudienceScope>(CourseAudienceScope.Subtree);
  protected readonly units = signal<Unit[]>([]);
  protected readonly unitIds = computed(() => this.units().map((u) => u.id));
  protected readonly results = signal<OrgUnitSummary[]>([]);
  protected readonly searched = signal(false);
  protected readonly error = signal<string | null>(null);
  /** The server's error about the named units, shown under the picker. */
  protected readonly unitsError = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly unitsMatcher: ErrorStateMatcher = { isErrorState: () => this.unitsError() !== null };
  private timer: ReturnType<typeof setTimeout> | undefined;
  private searchSeq = 0;

  constructor() {
    // The editor reloads the course after every content change: keep unsaved choices unless the saved audience changed.
    let applied = '';
    effect(() => {
      const a = this.audience();
      const key = JSON.stringify([a.scope, a.units.map((u) => u.id)]);
      if (key === applied) return;
      applied = key;
      this.scope.set(a.scope);
      this.units.set([...a.units]);
      this.unitsError.set(null);
      this.error.set(null);
    });
    inject(DestroyRef).onDestroy(() => clearTimeout(this.timer));
  }

  protected choose(scope: CourseAudienceScope): void {
    this.scope.set(scope);
    this.unitsError.set(null);
  }

  protected search(value: string): void {
    clearTimeout(this.timer);
    const q = value.trim();
    if (!q) {
      this.results.set([]);
      this.searched.set(false);
      return;
    }
    this.timer = setTimeout(async () => {
      const seq = ++this.searchSeq;
      try {
        const found = await firstValueFrom(this.http.get<OrgUnitSummary[]>('/api/org-units', { params: { q } }));
        if (seq !== this.searchSeq) return;
        const chosen = new Set(this.unitIds());
        this.results.set(found.filter((u) => !chosen.has(u.id)));
        this.searched.set(true);
      } catch (e) {
        if (seq === this.searchSeq) this.error.set(this.i18n.error(e));
      }
    }, 250);
  }

  protected addUnit(event: MatAutocompleteSelectedEvent, field: HTMLInputElement): void {
    const u = event.option.value as OrgUnitSummary;
    if (!this.units().some((x) => x.id === u.id) && this.units().length < MAX_AUDIENCE_UNITS) this.units.update((list) => [...list, { id: u.id, name: u.name }]);
    field.value = '';
    event.option.deselect();
    this.results.set([]);
    this.searched.set(false);
    this.unitsError.set(null);
  }

  protected removeUnit(id: string): void {
    this.units.update((list) => list.filter((u) => u.id !== id));
  }

  async save(): Promise<void> {
    const scope = this.scope();
    const body = scope === CourseAudienceScope.Units ? { scope, unitIds: this.unitIds() } : { scope };
    this.busy.set(true);
    this.error.set(null);
    this.unitsError.set(null);
    try {
      const audience = await firstValueFrom(this.http.put<CourseAudience>(`/api/courses/${this.courseId()}/audience`, body));
      this.snack.open(this.L().saved, undefined, { duration: 2500 });
      this.saved.emit(audience);
    } catch (e) {
      const err = (e as { error?: ApiError })?.error;
      const onUnits = err?.code === ErrorCode.OrgUnitNotFound || (err?.details ?? []).some((d) => d.field === 'unitIds');
      if (onUnits && scope === CourseAudienceScope.Units) this.unitsError.set(this.unitIds().length === 0 ? this.L().audienceUnitsRequired : this.i18n.error(e));
      else this.error.set(this.i18n.error(e));
    } finally {
      this.busy.set(false);
    }
  }
}
