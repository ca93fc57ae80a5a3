import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, OnInit, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { OrgUnitSummary } from '@dxtrain/shared/contracts';
import { I18n } from '../core/i18n';

interface Node {
  unit: OrgUnitSummary;
  depth: number;
  expanded: boolean;
  children: Node[] | null;
}

/** The organisation tree: children load lazily when a node is expanded; search lists matches. */
@Component({
  selector: 'dx-org-tree',
  imports: [FormsModule, RouterLink, MatFormFieldModule, MatInputModule, MatIconModule, MatButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: ['.row { display: flex; align-items: center; min-height: 36px; } .row a { text-decoration: none; color: inherit; } .kind { margin-left: 8px; } .search { width: min(480px, 100%); }'],
  template: `
    <div class="page">
      <h2>{{ i18n.t('navOrg') }}</h2>
      <mat-form-field class="search">
        <mat-label>{{ i18n.t('searchUnits') }}</mat-label>
        <input matInput data-testid="org-search" [ngModel]="query()" (ngModelChange)="search($event)" />
      </mat-form-field>
      @if (query().trim()) {
        @for (u of results(); track u.id) {
          <div class="row" data-testid="org-search-result"><a [routerLink]="['/org', u.id]">{{ u.name }}</a><span class="badge kind">{{ i18n.kind(u.kind) }}</span></div>
        } @empty {
          <p class="muted">{{ i18n.t('noResults') }}</p>
        }
      } @else {
        @for (n of visible(); track n.unit.id) {
          <div class="row" [style.padding-left.px]="n.depth * 24" data-testid="tree-node">
            @if (n.unit.childCount > 0) {
              <button mat-icon-button [attr.aria-label]="i18n.t('expand')" data-testid="tree-toggle" (click)="toggle(n)">
                <mat-icon>{{ n.expanded ? 'expand_more' : 'chevron_right' }}</mat-icon>
              </button>
            } @else {
              <span style="width: 40px"></span>
            }
            <a [routerLink]="['/org', n.unit.id]" [class.closed]="n.unit.validTo !== null">{{ n.unit.name }}</a>
            <span class="badge kind">{{ i18n.kind(n.unit.kind) }}</span>
            @if (n.unit.validTo) {
              <span class="badge warn">{{ i18n.t('closed') }}</span>
            }
          </div>
        }
      }
      @if (error()) {
        <p class="error">{{ error() }}</p>
      }
    </div>
  `,
})
export class OrgTreeComponent implements OnInit {
  protected readonly i18n = inject(I18n);
  private readonly http = inject(HttpClient);
  protected readonly roots = signal<Node[]>([]);
  protected readonly visible = signal<Node[]>([]);
  protected readonly query = signal('');
  protected readonly results = signal<OrgUnitSummary[]>([]);
  protected readonly error = signal<string | null>(null);
  private timer: ReturnType<typeof setTimeout> | undefined;

  async ngOnInit(): Promise<void> {
    try {
      const units = await firstValueFrom(this.http.get<OrgUnitSummary[]>('/api/org-units'));
      this.roots.set(units.map((unit) => ({ unit, depth: 0, expanded: false, children: null })));
      if (this.roots().length === 1) await this.toggle(this.roots()[0]);
      this.flatten();
    } catch (e) {
      this.error.set(this.i18n.error(e));
    }
  }

  private flatten(): void {
    const out: Node[] = [];
    const walk = (nodes: Node[]) => nodes.forEach((n) => (out.push(n), n.expanded && n.children && walk(n.children)));
    walk(this.roots());
    this.visible.set(out);
  }

  async toggle(node: Node): Promise<void> {
    if (!node.expanded && node.children === null) {
      const units = await firstValueFrom(this.http.get<OrgUnitSummary[]>('/api/org-units', { params: { parentId: node.unit.id } }));
      node.children = units.map((unit) => ({ unit, depth: node.depth + 1, expanded: false, children: null }));
    }
    node.expanded = !node.expanded;
    this.flatten();
  }

  search(value: string): void {
    this.query.set(value);
    clearTimeout(this.timer);
    this.timer = setTimeout(async () => {
      if (!value.trim()) return this.results.set([]);
      this.results.set(await firstValueFrom(this.http.get<OrgUnitSummary[]>('/api/org-units', { params: { q: value } })));
    }, 250);
  }
}
