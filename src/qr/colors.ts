const HEX = /^#?([0-9a-fA-F]{6})$/;

/** "#RRGGBB" from "RRGGBB" or "#RRGGBB" (a bare hex is easier to put in a URL), else null. */
export function parseHexColor(text: string): string | null {
  const m = HEX.exec(text.trim());
  return m ? `#${m[1]!.toLowerCase()}` : null;
}

function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/**
 * Phone scanners look for dark modules on a light ground; light-on-dark or low-contrast codes
 * fail in WeChat and camera apps, so such colours are refused before anything is printed.
 */
export function scannableColors(fg: string, bg: string): boolean {
  const dark = luminance(fg);
  const light = luminance(bg);
  return dark < light && (light + 0.05) / (dark + 0.05) >= 3;
}
