import { describe, expect, it } from 'vitest';
import { CallbackCryptoError } from './callback-crypto.ts';
import { encryptedOf, parseMessage } from './callback-message.ts';

describe('the WeCom callback envelope', () => {
  it('finds the one <Encrypt> value, in CDATA or not, without parsing the rest', () => {
    expect(encryptedOf('<xml><ToUserName><![CDATA[ww1]]></ToUserName><Encrypt><![CDATA[AbC+/9==]]></Encrypt></xml>')).toBe('AbC+/9==');
    expect(encryptedOf('<xml><Encrypt>QUJD</Encrypt><AgentID>1</AgentID>')).toBe('QUJD');
  });

  it('refuses an envelope with no, two or a non-base64 <Encrypt>', () => {
    const bodies = [
      '', '<xml></xml>', '<xml><Encrypt>QUJD</Encrypt><Encrypt>REVG</Encrypt></xml>', '<xml><Encrypt>&lol;</Encrypt></xml>',
      '<xml><Encrypt><![CDATA[QUJD</Encrypt></xml>',
    ];
    for (const body of bodies) {
      expect(() => encryptedOf(body), body).toThrow(CallbackCryptoError);
    }
  });
});

describe('a decrypted WeCom message', () => {
  it('reads its fields as text', () => {
    expect(parseMessage('<xml><Event><![CDATA[change_external_contact]]></Event><CreateTime>1409659813</CreateTime></xml>')).toEqual({
      Event: 'change_external_contact',
      CreateTime: '1409659813',
    });
  });

  it('refuses DOCTYPE and entity declarations, malformed XML and anything but <xml>', () => {
    for (const text of [
      '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaa">]><xml><Event>&a;</Event></xml>',
      '<!doctype xml SYSTEM "file:///etc/passwd"><xml><Event>x</Event></xml>',
      '<xml><Event><![CDATA[x</Event></xml>',
      'plain text',
      '',
    ]) {
      expect(() => parseMessage(text), text).toThrow(CallbackCryptoError);
    }
  });
});
