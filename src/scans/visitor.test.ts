import { describe, expect, it } from 'vitest';
import { readVisitor } from './visitor.ts';

const cookieHeader = (setCookies: string[]) => setCookies.map((c) => c.split(';')[0]).join('; ');

describe('visitor cookie', () => {
  it('gives a first scan a new id, and recognises the browser when it comes back to the same code', () => {
    const first = readVisitor(undefined, 'AbCd2345', false);
    expect(first).toMatchObject({ isNew: true, returning: false });
    const again = readVisitor(cookieHeader(first.setCookies), 'AbCd2345', false);
    expect(again).toMatchObject({ id: first.id, isNew: false, returning: true, setCookies: [] });
  });

  it('is new to a code it has not scanned, though known to Huoma', () => {
    const first = readVisitor(undefined, 'AbCd2345', false);
    const other = readVisitor(cookieHeader(first.setCookies), 'XyZw6789', false);
    expect(other).toMatchObject({ id: first.id, isNew: false, returning: false });
    const back = readVisitor(`${cookieHeader(first.setCookies)}; ${cookieHeader(other.setCookies)}`, 'AbCd2345', false);
    expect(back.returning).toBe(true);
  });

  it('ignores a forged or malformed cookie', () => {
    const v = readVisitor('hm_vid=<script>; hm_seen=AbCd2345', 'AbCd2345', false);
    expect(v.isNew).toBe(true);
    expect(v.returning).toBe(false);
    expect(v.id).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });

  it('marks cookies Secure behind https and keeps them first-party and HttpOnly', () => {
    const [cookie] = readVisitor(undefined, 'AbCd2345', true).setCookies;
    expect(cookie).toMatch(/HttpOnly; SameSite=Lax; Secure$/);
  });
});
