import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CallbackCrypto, CallbackCryptoError } from './callback-crypto.ts';

// The published sample of WeCom's callback scheme (加解密方案说明, and the sample code of its
// official libraries): company wx5823bf96d3bd56c7, token QDG6eK.
const crypto = new CallbackCrypto('QDG6eK', 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', 'wx5823bf96d3bd56c7');
const URL_CHECK = {
  signature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
  timestamp: '1409659589',
  nonce: '263014780',
  echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
};
const MESSAGE = {
  signature: '477715d11cdb4164915debcba66cb864d751f3e6',
  timestamp: '1409659813',
  nonce: '1372623149',
  encrypt: [
    'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiS',
    'pGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH',
    '03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl',
    '/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==',
  ].join(''),
};

describe('WeCom callback crypto', () => {
  it('accepts the published URL check and message samples', () => {
    const echo = crypto.open(URL_CHECK.signature, URL_CHECK.timestamp, URL_CHECK.nonce, URL_CHECK.echostr);
    expect(echo).toMatch(/^\d+$/);
    const xml = crypto.open(MESSAGE.signature, MESSAGE.timestamp, MESSAGE.nonce, MESSAGE.encrypt);
    expect(xml).toContain('<FromUserName><![CDATA[mycreate]]></FromUserName>');
    expect(xml).toContain('<Content><![CDATA[hello]]></Content>');
    expect(xml).toContain('<MsgId>4561255354251345929</MsgId>');
  });

  it('refuses a forged signature, another company’s message and broken padding', () => {
    expect(() => crypto.open(MESSAGE.signature.replace(/^4/, '5'), MESSAGE.timestamp, MESSAGE.nonce, MESSAGE.encrypt)).toThrow(CallbackCryptoError);
    expect(() => crypto.open(MESSAGE.signature, '1409659814', MESSAGE.nonce, MESSAGE.encrypt)).toThrow('bad signature');
    const other = new CallbackCrypto('QDG6eK', 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', 'ww_other_corp');
    expect(() => other.decrypt(MESSAGE.encrypt)).toThrow('bad receiver');
    const raw = Buffer.from(MESSAGE.encrypt, 'base64');
    raw[raw.length - 1]! ^= 0x55;
    expect(() => crypto.decrypt(raw.toString('base64'))).toThrow(CallbackCryptoError);
  });

  it('decrypts whatever it encrypts, for any message', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.uint8Array({ minLength: 16, maxLength: 16 }), (message, random) => {
        const sealed = crypto.encrypt(message, Buffer.from(random));
        expect(Buffer.from(sealed, 'base64').length % 32).toBe(0);
        expect(crypto.open(crypto.signature('1', '2', sealed), '1', '2', sealed)).toBe(message);
      }),
    );
  });
});
