// The jobs worker threads run: CPU-heavy work that would otherwise stall every scan on the event loop.
import { renderPoster } from '../qr/poster.ts';
import { qrPng, type QrStyle } from '../qr/render.ts';
import { parseStoreCsv } from '../stores/csv.ts';

export const jobs = {
  // A Buffer crosses the thread boundary as a plain Uint8Array (the logo's too; sharp takes either).
  qrPng: (text: string, style: QrStyle): Promise<Uint8Array> => qrPng(text, style),
  poster: renderPoster,
  parseStoreCsv,
};
export type Jobs = typeof jobs;
