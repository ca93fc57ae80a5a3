import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { I18n } from '../core/i18n';
import { StaffTableComponent } from './staff-table.component';

@Component({
  selector: 'dx-staff-list',
  imports: [StaffTableComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<div class="page"><h2>{{ i18n.t('navStaff') }}</h2><dx-staff-table /></div>`,
})
export class StaffListComponent {
  protected readonly i18n = inject(I18n);
}
