/** A file name every system accepts: path separators, reserved characters and whitespace become "_". */
export const fileSafe = (s: string) => s.replace(/[\\/:*?"<>|\s]+/g, '_');

/**
 * Content-Disposition for a file: an ASCII name for old clients, and the full name (Chinese
 * included) as RFC 6266 spells it, which every current browser prefers.
 */
export const disposition = (kind: 'attachment' | 'inline', ascii: string, name: string) =>
  `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileSafe(name))}`;
