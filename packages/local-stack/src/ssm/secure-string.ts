/**
 * SecureString at rest: values are encrypted with a key that lives only in this process
 * (AES-256-GCM), standing in for KMS. Without `WithDecryption`, SSM returns the KMS ciphertext
 * blob (base64), which is what callers see here too: never the plaintext.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** The AWS-managed key SSM uses when `PutParameter` names no `KeyId`. */
export const DEFAULT_SSM_KEY_ID = 'alias/aws/ssm';

/** Encrypts and decrypts SecureString values. */
export interface SecureStringCipher {
  encrypt(plaintext: string, keyId: string): string;
  decrypt(ciphertext: string): string;
}

/**
 * Creates a cipher with a fresh random key. The key id is bound as additional authenticated
 * data, like KMS's encryption context, so a value cannot be replayed under another key id.
 *
 * @example
 * ```ts
 * const cipher = createSecureStringCipher();
 * cipher.decrypt(cipher.encrypt('s3cret', DEFAULT_SSM_KEY_ID)); // 's3cret'
 * ```
 */
export function createSecureStringCipher(): SecureStringCipher {
  const key = randomBytes(32);
  return {
    encrypt(plaintext, keyId) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const keyIdBytes = Buffer.from(keyId, 'utf8');
      cipher.setAAD(keyIdBytes);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const header = Buffer.alloc(2);
      header.writeUInt16BE(keyIdBytes.length);
      return Buffer.concat([header, keyIdBytes, iv, cipher.getAuthTag(), body]).toString('base64');
    },
    decrypt(ciphertext) {
      const blob = Buffer.from(ciphertext, 'base64');
      const keyIdLength = blob.readUInt16BE(0);
      const keyIdBytes = blob.subarray(2, 2 + keyIdLength);
      const iv = blob.subarray(2 + keyIdLength, 14 + keyIdLength);
      const tag = blob.subarray(14 + keyIdLength, 30 + keyIdLength);
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAAD(keyIdBytes);
      decipher.setAuthTag(tag);
      return Buffer.concat([
        decipher.update(blob.subarray(30 + keyIdLength)),
        decipher.final(),
      ]).toString('utf8');
    },
  };
}
