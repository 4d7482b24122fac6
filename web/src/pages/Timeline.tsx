import { useId } from 'react';
import { get } from '../api';
import { LineChart } from '../charts';
import { filtersOf, navigate, type Route } from '../router';
import { ErrorBox, FilterBar, Loading, PageTitle, useLoad } from '../ui';

interface TimelineReply {
  interval: 'month' | 'year';
  by: string;
  buckets: string[];
  series: { key: string; name: string; incidents: number[]; killed: number[]; wounded: number[] }[];
  undated: number;
}

export function TimelinePage({ route }: { route: Route }) {
  const id = useId();
  const filters = filtersOf(route.params);
  const by = route.params.get('by') ?? 'none';
  const interval = route.params.get('interval') ?? undefined;
  const key = route.params.toString();
  const { data, error, loading } = useLoad(
    () => get<TimelineReply>('/timeline', { ...filters, by, interval }),
    [key],
  );
  const set = (name: string, value: string) => {
    const params: Record<string, string> = {};
    for (const [k, v] of route.params) params[k] = v;
    if (value) params[name] = value;
    else delete params[name];
    navigate(route.path, params);
  };
  return (
    <>
      <PageTitle>Timeline</PageTitle>
      <FilterBar route={route} />
      <div className="filters">
        <label htmlFor={`${id}-by`}>
          Series
          <select
            id={`${id}-by`}
            value={by}
            onChange={(e) => set('by', e.target.value === 'none' ? '' : e.target.value)}
          >
            <option value="none">all incidents</option>
            <option value="group">by group</option>
            <option value="country">by country</option>
          </select>
        </label>
        <label htmlFor={`${id}-interval`}>
          Interval
          <select
            id={`${id}-interval`}
            value={interval ?? ''}
            onChange={(e) => set('interval', e.target.value)}
          >
            <option value="">automatic</option>
            <option value="month">month</option>
            <option value="year">year</option>
          </select>
        </label>
      </div>
      <ErrorBox error={error} />
      {loading && <Loading what="the timeline" />}
      {data && data.buckets.length === 0 && <p>No dated incidents in this filter.</p>}
      {data && data.buckets.length > 0 && (
        <>
          <LineChart
            title={`Incidents per ${data.interval}`}
            labels={data.buckets}
            series={data.series.map((s) => ({ name: s.name, values: s.incidents }))}
          />
          <LineChart
            title={`Killed per ${data.interval}`}
            labels={data.buckets}
            series={data.series.map((s) => ({ name: s.name, values: s.killed }))}
          />
          <LineChart
            title={`Wounded per ${data.interval}`}
            labels={data.buckets}
            series={data.series.map((s) => ({ name: s.name, values: s.wounded }))}
          />
          {data.undated > 0 && <p className="muted">{data.undated} undated incidents are not shown.</p>}
        </>
      )}
    </>
  );
}
