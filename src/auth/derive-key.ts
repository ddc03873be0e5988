import { createHmac } from 'node:crypto';

/**
 * A key of its own for one purpose, derived from a deployment secret (HMAC-SHA256 of the purpose under
 * the secret, as the extract-free form of HKDF does): a MAC made for one purpose (an upload URL, say) can
 * then never be replayed as another (a JWT signed with the secret itself), and a purpose's key can be
 * rotated by versioning its label. Purposes are fixed strings like "wearlink/upload-grant/v1".
 */
export function deriveKey(secret: string, purpose: string): Buffer {
  return createHmac('sha256', secret).update(purpose).digest();
}
