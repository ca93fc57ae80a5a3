import { ChangeDetectionStrategy, Component, computed, inject, input, output, signal } from '@angular/core';
import { QuestionResponse, QuestionType, QuestionView } from '@dxtrain/shared/contracts';
import { I18n } from '../../core/i18n';
import { LEARNING_I18N } from './learning.i18n';

/**
 * One question of an attempt, as the learner sees it (never the correct answer): emits a new
 * response on every change. `readonly` shows a finished attempt's answer.
 */
@Component({
  selector: 'dx-question-input',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let q = question();
    @let r = response();
    <div class="text">{{ q.text }}</div>
    @switch (q.type) {
      @case (T.SingleChoice) {
        <div role="radiogroup" class="choices">
          @for (o of q.options; track o.id) {
            <label class="choice">
              <input type="radio" [name]="name()" [value]="o.id" [checked]="$any(r)?.optionId === o.id" [disabled]="readonly()" (change)="emit({ optionId: o.id })" />
              <span>{{ o.text }}</span>
            </label>
          }
        </div>
      }
      @case (T.MultipleChoice) {
        <div class="choices">
          @for (o of q.options; track o.id) {
            <label class="choice">
              <input type="checkbox" [checked]="chosen().has(o.id)" [disabled]="readonly()" (change)="toggle(o.id, $any($event.target).checked)" />
              <span>{{ o.text }}</span>
            </label>
          }
        </div>
      }
      @case (T.TrueFalse) {
        <div role="radiogroup" class="choices">
          <label class="choice"><input type="radio" [name]="name()" [checked]="$any(r)?.value === true" [disabled]="readonly()" (change)="emit({ value: true })" /><span>{{ L().trueLabel }}</span></label>
          <label class="choice"><input type="radio" [name]="name()" [checked]="$any(r)?.value === false" [disabled]="readonly()" (change)="emit({ value: false })" /><span>{{ L().falseLabel }}</span></label>
        </div>
      }
      @case (T.ShortAnswer) {
        <label class="short">
          <span class="muted">{{ L().yourAnswer }}</span>
          <input type="text" maxlength="1000" [value]="$any(r)?.text ?? ''" [disabled]="readonly()" (input)="emit({ text: $any($event.target).value })" />
        </label>
      }
      @case (T.Matching) {
        <table class="match">
          @for (p of q.prompts; track p.id) {
            <tr>
              <td>{{ p.text }}</td>
              <td>
                <select [attr.aria-label]="p.text" [disabled]="readonly()" (change)="match(p.id, $any($event.target).value)">
                  <option value="" [selected]="!matches()[p.id]">{{ L().chooseMatch }}</option>
                  @for (a of q.answers; track a.id) {
                    <option [value]="a.id" [selected]="matches()[p.id] === a.id">{{ a.text }}</option>
                  }
                </select>
              </td>
            </tr>
          }
        </table>
      }
      @case (T.Ordering) {
        <ol class="order">
          @for (item of ordered(); track item.id; let i = $index, last = $last) {
            <li>
              <span class="grow">{{ item.text }}</span>
              @if (!readonly()) {
                <button type="button" [disabled]="i === 0" [attr.aria-label]="L().moveUp + ': ' + item.text" (click)="move(i, -1)">▲</button>
                <button type="button" [disabled]="last" [attr.aria-label]="L().moveDown + ': ' + item.text" (click)="move(i, 1)">▼</button>
              }
            </li>
          }
        </ol>
      }
    }
  `,
  styles: [
    `.text { white-space: pre-line; margin-bottom: 8px; font-size: 16px; }
     .choices { display: flex; flex-direction: column; gap: 4px; }
     .choice { display: flex; gap: 8px; align-items: flex-start; padding: 8px; border-radius: 8px; border: 1px solid #e4e8f0; cursor: pointer; }
     .choice input { margin-top: 3px; }
     .short { display: flex; flex-direction: column; gap: 4px; max-width: 480px; }
     .short input, select { font: inherit; padding: 8px; border: 1px solid #c4cad6; border-radius: 6px; max-width: 100%; }
     .match td { padding: 4px 8px 4px 0; }
     .order { padding-left: 20px; }
     .order li { margin: 4px 0; }
     .order li { display: list-item; }
     .order li > * { vertical-align: middle; }
     .order button { margin-left: 4px; min-width: 36px; min-height: 32px; }
     .grow { display: inline-block; min-width: 200px; }`,
  ],
})
export class QuestionInputComponent {
  readonly question = input.required<QuestionView>();
  readonly response = input<QuestionResponse | null>(null);
  readonly readonly = input(false);
  readonly slot = input.required<number>();
  readonly changed = output<QuestionResponse>();
  protected readonly T = QuestionType;
  protected readonly i18n = inject(I18n);
  protected readonly L = computed(() => this.i18n.pick(LEARNING_I18N));
  protected readonly name = computed(() => `q-${this.slot()}`);
  protected readonly chosen = computed(() => new Set((this.response() as { optionIds?: string[] } | null)?.optionIds ?? []));
  protected readonly matches = computed(() => (this.response() as { matches?: Record<string, string> } | null)?.matches ?? {});
  /** The learner's working order (starts as shown). */
  private readonly localOrder = signal<string[] | null>(null);
  protected readonly ordered = computed(() => {
    const q = this.question();
    if (q.type !== QuestionType.Ordering) return [];
    const order = this.localOrder() ?? (this.response() as { order?: string[] } | null)?.order ?? q.items.map((i) => i.id);
    const byId = new Map(q.items.map((i) => [i.id, i]));
    return order.map((id) => byId.get(id)).filter((i): i is { id: string; text: string } => !!i);
  });

  protected emit(r: QuestionResponse): void {
    this.changed.emit(r);
  }

  protected toggle(id: string, on: boolean): void {
    const next = new Set(this.chosen());
    if (on) next.add(id);
    else next.delete(id);
    this.emit({ optionIds: [...next] });
  }

  protected match(promptId: string, answerId: string): void {
    const next = { ...this.matches() };
    if (answerId) next[promptId] = answerId;
    else delete next[promptId];
    this.emit({ matches: next });
  }

  protected move(index: number, delta: number): void {
    const order = this.ordered().map((i) => i.id);
    const [item] = order.splice(index, 1);
    order.splice(index + delta, 0, item);
    this.localOrder.set(order);
    this.emit({ order });
  }
}
