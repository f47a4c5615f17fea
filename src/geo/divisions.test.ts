import { describe, expect, it } from 'vitest';
import { resolveDivision } from './divisions.ts';

describe('administrative divisions', () => {
  it('accepts long and short names and gives the full names and codes', () => {
    expect(resolveDivision('广东', '深圳', '南山区')).toEqual({
      province: '广东省', provinceCode: '440000', city: '深圳市', cityCode: '440300', district: '南山区', districtCode: '440305',
    });
    expect(resolveDivision('广西壮族自治区', '南宁市')).toMatchObject({ province: '广西壮族自治区', city: '南宁市', cityCode: '450100' });
  });

  it('takes a municipality as its own city, with its districts', () => {
    const xuhui = { province: '上海市', city: '上海市', district: '徐汇区', districtCode: '310104' };
    expect(resolveDivision('上海市', '上海市', '徐汇区')).toMatchObject(xuhui);
    expect(resolveDivision('北京', '北京')).toMatchObject({ province: '北京市', city: '北京市' });
  });

  it('names the field that is wrong', () => {
    expect(resolveDivision('火星', '上海')).toMatchObject({ field: 'province' });
    expect(resolveDivision('广东', '杭州')).toMatchObject({ field: 'city', message: '杭州 is not a city of 广东省' });
    expect(resolveDivision('浙江', '杭州', '南山区')).toMatchObject({ field: 'district' });
  });
});
