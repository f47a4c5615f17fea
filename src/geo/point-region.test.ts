import { describe, expect, it } from 'vitest';
import { normalizeRegion } from './region-names.ts';
import { regionOfPoint } from './point-region.ts';

describe('the region of a point', () => {
  it.each([
    [31.19, 121.43, '上海', '上海'],
    [39.91, 116.40, '北京', '北京'],
    [23.13, 113.26, '广东', '广州'],
    [22.54, 114.06, '广东', '深圳'],
    [30.27, 120.15, '浙江', '杭州'],
    [30.57, 104.07, '四川', '成都'],
    [32.06, 118.79, '江苏', '南京'],
    [29.56, 106.55, '重庆', '重庆'],
  ])('%f, %f lies in %s %s', (lat, lng, province, city) => {
    const region = regionOfPoint({ lat, lng })!;
    expect(normalizeRegion(region.province)).toBe(province);
    expect(normalizeRegion(region.city!)).toBe(city);
  });

  it('knows no province out at sea or abroad', () => {
    expect(regionOfPoint({ lat: 48.85, lng: 2.35 })).toBeNull();
    expect(regionOfPoint({ lat: 25.0, lng: 125.5 })).toBeNull();
  });
});
