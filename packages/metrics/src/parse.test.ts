import { describe, expect, it } from 'vitest';
import { parseMetrics, samplesOf } from './parse.ts';

describe('parseMetrics', () => {
  it('reads names, labels in any order, escapes and special values', () => {
    const text = [
      '# HELP x_total things',
      '# TYPE x_total counter',
      'x_total{a="1",service="api"} 3',
      'x_total{service="api", a="2"} 4.5',
      'h_bucket{le="+Inf",route="/a/:id",q="say \\"hi\\"\\\\"} 7',
      'up 1 1700000000000',
      'nan_metric NaN',
      '',
    ].join('\n');
    const s = parseMetrics(text);
    expect(samplesOf(s, 'x_total', { a: '2' })).toEqual([
      { name: 'x_total', labels: { service: 'api', a: '2' }, value: 4.5 },
    ]);
    expect(samplesOf(s, 'h_bucket')[0]!.labels).toEqual({ le: '+Inf', route: '/a/:id', q: 'say "hi"\\' });
    expect(samplesOf(s, 'up')[0]!.value).toBe(1);
    expect(samplesOf(s, 'nan_metric')[0]!.value).toBeNaN();
    expect(samplesOf(s, 'x_total')).toHaveLength(2);
  });

  it('refuses what is not exposition text', () => {
    expect(() => parseMetrics('<html>')).toThrow(/not a Prometheus sample line/);
  });
});
