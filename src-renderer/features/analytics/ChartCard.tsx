/** One dashboard chart (chart.js via react-chartjs-2) with its CSV and PNG export. */
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import {
  BarElement,
  CategoryScale,
  Chart as ChartJS,
  Legend,
  LinearScale,
  LineElement,
  PointElement,
  Tooltip,
  type ChartData,
} from 'chart.js';
import { Bar, Line } from 'react-chartjs-2';
import { downloadPng } from '../../lib/download';
import { downloadCsv, toCsv } from './export';
import { Button } from '../../ui/Button';

ChartJS.register(
  CategoryScale,
  LinearScale,
  PointElement,
  LineElement,
  BarElement,
  Legend,
  Tooltip,
);

export interface Series {
  label: string;
  values: Array<number | null>;
}

const COLORS = ['#2f6fed', '#e0703a', '#2aa876', '#a04fd0', '#c9a227', '#d04f6b'];

export function ChartCard(props: {
  id: string;
  title: string;
  kind: 'line' | 'bar';
  labels: string[];
  series: Series[];
}) {
  const { t } = useTranslation();
  const chart = useRef<ChartJS<'line' | 'bar'> | null>(null);
  const data = {
    labels: props.labels,
    datasets: props.series.map((s, i) => ({
      label: s.label,
      data: s.values,
      borderColor: COLORS[i % COLORS.length],
      backgroundColor: COLORS[i % COLORS.length],
    })),
  };
  const options = { animation: false as const, responsive: true, maintainAspectRatio: false };
  const csv = () =>
    toCsv(
      ['label', ...props.series.map((s) => s.label)],
      props.labels.map((label, i) => [label, ...props.series.map((s) => s.values[i] ?? null)]),
    );
  return (
    <figure className="chart-card" data-testid={`chart-${props.id}`}>
      <figcaption>
        <span className="chart-title">{props.title}</span>
        <span className="chart-actions">
          <Button
            size="small"
            testId={`chart-${props.id}-csv`}
            onClick={() => downloadCsv(props.id, csv())}
          >
            CSV
          </Button>
          <Button
            size="small"
            testId={`chart-${props.id}-png`}
            onClick={() => downloadPng(props.id, chart.current?.canvas)}
          >
            PNG
          </Button>
        </span>
      </figcaption>
      {props.labels.length === 0 ? (
        <p className="muted">{t('analytics.noData')}</p>
      ) : (
        <div className="chart-box">
          {props.kind === 'line' ? (
            <Line
              ref={chart as never}
              data={data as ChartData<'line'>}
              options={options}
              aria-label={props.title}
              role="img"
            />
          ) : (
            <Bar
              ref={chart as never}
              data={data as ChartData<'bar'>}
              options={options}
              aria-label={props.title}
              role="img"
            />
          )}
        </div>
      )}
    </figure>
  );
}
