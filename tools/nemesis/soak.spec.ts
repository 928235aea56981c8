import { soakChart } from './soak-chart';
import { growth, median, SoakSample } from './soak-sampler';

const series = (service: string, f: (t: number) => number): SoakSample[] =>
  Array.from({ length: 100 }, (_, i) => ({ t: i * 10, service, rssMb: f(i * 10), fds: 40, sockets: 12, handles: 20, dbConnections: 5 }));

describe('soak figures', () => {
  it('median', () => {
    expect(median([])).toBe(0);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });

  it('growth is about 1 for a flat series and well above it for a leak', () => {
    expect(
      growth(
        series('flat', () => 120),
        'flat',
        'rssMb',
      ),
    ).toBe(1);
    expect(
      growth(
        series('leak', (t) => 100 + t / 5),
        'leak',
        'rssMb',
      ),
    ).toBeGreaterThan(1.5);
    expect(growth(series('flat', () => 120).slice(0, 5), 'flat', 'rssMb')).toBeUndefined();
  });

  it('charts every service in every panel, with escaped names', () => {
    const svg = soakChart([...series('order', () => 100), ...series('coupon-<1>', () => 90)], [100, 400], 'soak & co');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('coupon-&lt;1&gt;');
    expect(svg).toContain('soak &amp; co');
    expect(svg.match(/<polyline/g)).toHaveLength(8);
    expect(soakChart([...series('order', () => 100)])).toBe(soakChart([...series('order', () => 100)]));
  });
});
