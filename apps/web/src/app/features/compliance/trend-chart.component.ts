import { ChangeDetectionStrategy, Component, ElementRef, OnDestroy, effect, input, viewChild } from '@angular/core';
import { CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { CoverageTrend } from '@dxtrain/shared/contracts';

// Only what a line chart needs (keeps the lazy chunk small).
Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Legend, Tooltip);

/** Coverage per year, the 100% target line and the straight-line projection to 2030 (presentational). */
@Component({
  selector: 'dx-trend-chart',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<div class="chart"><canvas #canvas data-testid="trend-chart" role="img" [attr.aria-label]="labels().title"></canvas></div>`,
  styles: ['.chart { position: relative; height: 280px; max-width: 900px; }'],
})
export class TrendChartComponent implements OnDestroy {
  readonly trend = input.required<CoverageTrend>();
  readonly labels = input.required<{ title: string; coverage: string; target: string; projection: string }>();
  private readonly canvas = viewChild.required<ElementRef<HTMLCanvasElement>>('canvas');
  private chart: Chart | null = null;

  constructor() {
    effect(() => {
      const t = this.trend();
      const l = this.labels();
      const first = t.points[0]?.year ?? t.target.year;
      const years: number[] = [];
      for (let y = first; y <= t.target.year; y++) years.push(y);
      const byYear = new Map(t.points.map((p) => [p.year, p.coverageRate]));
      const proj = new Map(t.projection.map((p) => [p.year, p.coverageRate]));
      const pct = (v: number | null | undefined) => (v === null || v === undefined ? null : Math.round(v * 1000) / 10);
      this.chart?.destroy();
      this.chart = new Chart(this.canvas().nativeElement, {
        type: 'line',
        data: {
          labels: years.map(String),
          datasets: [
            { label: l.coverage, data: years.map((y) => pct(byYear.get(y))), borderColor: '#1f4e79', backgroundColor: '#1f4e79', spanGaps: true },
            { label: l.projection, data: years.map((y) => pct(proj.get(y))), borderColor: '#e08a00', backgroundColor: '#e08a00', borderDash: [6, 4], pointRadius: 0 },
            { label: l.target, data: years.map(() => 100), borderColor: '#2e7d32', backgroundColor: '#2e7d32', borderDash: [2, 2], pointRadius: 0 },
          ],
        },
        options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { y: { min: 0, max: 100, title: { display: true, text: l.coverage } } } },
      });
    });
  }

  ngOnDestroy(): void {
    this.chart?.destroy();
  }
}
