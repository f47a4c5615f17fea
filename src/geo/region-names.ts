// Chinese administrative names come long ("广西壮族自治区", "恩施土家族苗族自治州") from people and
// short ("广西", "恩施") from the IP database; rules compare their common short form.
const PROVINCE_SUFFIX = /(?:特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|省|市)$/u;
const PREFECTURE = /^(.{2,}?)(?:[^族]{1,3}族)*自治州$/u;
const CITY_SUFFIX = /(?:市|地区|盟)$/u;

export function normalizeRegion(name: string): string {
  const trimmed = name.trim();
  const prefecture = PREFECTURE.exec(trimmed);
  if (prefecture?.[1]) return prefecture[1];
  const short = trimmed.replace(PROVINCE_SUFFIX, '').replace(CITY_SUFFIX, '');
  // "沙市" style names are all suffix: keep what the user wrote rather than erase it.
  return short.length >= 2 ? short : trimmed;
}
