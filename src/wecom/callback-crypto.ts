import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const BLOCK = 32; // WeCom pads to 32 bytes, not AES's 16

export class CallbackCryptoError extends Error {
  constructor(readonly reason: 'signature' | 'padding' | 'receiver' | 'format' | 'timestamp') {
    super(`WeCom callback refused: bad ${reason}`);
  }
}

/**
 * WeCom's callback wire format (企业微信 回调加解密): msg_signature = SHA-1 of the sorted token,
 * timestamp, nonce and ciphertext; the ciphertext is AES-256-CBC (key = base64 of EncodingAESKey,
 * IV = its first 16 bytes) over random(16) | length(4, big-endian) | message | ReceiveId, padded
 * PKCS#7-style to 32 bytes. Unlike the npm package, this checks the padding and the ReceiveId and
 * compares signatures in constant time.
 */
export class CallbackCrypto {
  private readonly key: Buffer;

  constructor(
    private readonly token: string,
    encodingAesKey: string,
    /** The corp id for a company's own app (the suite id for a third-party app). */
    private readonly receiveId: string,
  ) {
    this.key = Buffer.from(`${encodingAesKey}=`, 'base64');
    if (encodingAesKey.length !== 43 || this.key.length !== 32) throw new Error('EncodingAESKey must be 43 characters (32 bytes in base64)');
  }

  signature(timestamp: string, nonce: string, encrypted: string): string {
    return createHash('sha1').update([this.token, timestamp, nonce, encrypted].sort().join('')).digest('hex');
  }

  verify(signature: string, timestamp: string, nonce: string, encrypted: string): boolean {
    const expected = Buffer.from(this.signature(timestamp, nonce, encrypted), 'hex');
    const given = Buffer.from(signature, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** Verifies, then decrypts: the plaintext message (XML, or the echostr of the URL check). */
  open(signature: string, timestamp: string, nonce: string, encrypted: string): string {
    if (!this.verify(signature, timestamp, nonce, encrypted)) throw new CallbackCryptoError('signature');
    return this.decrypt(encrypted);
  }

  decrypt(encrypted: string): string {
    const data = Buffer.from(encrypted, 'base64');
    if (data.length === 0 || data.length % BLOCK !== 0) throw new CallbackCryptoError('format');
    const decipher = createDecipheriv('aes-256-cbc', this.key, this.key.subarray(0, 16)).setAutoPadding(false);
    const plain = Buffer.concat([decipher.update(data), decipher.final()]);
    const pad = plain[plain.length - 1]!;
    if (pad < 1 || pad > BLOCK || !plain.subarray(plain.length - pad).every((b) => b === pad)) throw new CallbackCryptoError('padding');
    const body = plain.subarray(16, plain.length - pad);
    if (body.length < 4) throw new CallbackCryptoError('format');
    const length = body.readUInt32BE(0);
    if (4 + length > body.length) throw new CallbackCryptoError('format');
    if (body.subarray(4 + length).toString('utf8') !== this.receiveId) throw new CallbackCryptoError('receiver');
    return body.subarray(4, 4 + length).toString('utf8');
  }

  /** What the simulator sends (and a passive reply would): the same format, encrypted. */
  encrypt(message: string, random: Buffer = randomBytes(16)): string {
    const msg = Buffer.from(message, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(msg.length);
    const body = Buffer.concat([random, length, msg, Buffer.from(this.receiveId, 'utf8')]);
    const pad = BLOCK - (body.length % BLOCK);
    const cipher = createCipheriv('aes-256-cbc', this.key, this.key.subarray(0, 16)).setAutoPadding(false);
    return Buffer.concat([cipher.update(Buffer.concat([body, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
  }
}
