import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook } from 'svix';
import { describe, expect, it } from 'vitest';
import { webhookHeaders } from './delivery.ts';
import { generateSecret, sign } from './signing.ts';

const vectorsFile = join(import.meta.dirname, '../../../shared/reference/svix/svix-test-vectors.json');
const absent = existsSync(vectorsFile) ? undefined : `reference corpus absent (${vectorsFile})`;

describe.skipIf(absent !== undefined)(
  `Standard Webhooks test vectors${absent ? ` (skipped: ${absent})` : ''}`,
  () => {
    it('reproduces every published signature', () => {
      const { vectors } = JSON.parse(readFileSync(vectorsFile, 'utf8')) as {
        vectors: {
          secret: string;
          msg_id: string;
          timestamp: number;
          payload: string;
          expected_signature: string;
        }[];
      };
      expect(vectors.length).toBeGreaterThan(0);
      for (const v of vectors)
        expect(sign(v.secret, v.msg_id, v.timestamp, v.payload)).toBe(v.expected_signature);
    });
  },
);

describe('signing', () => {
  it('produces headers the official svix and standardwebhooks libraries accept, with one or two secrets', () => {
    const secret = generateSecret();
    const old = generateSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const body = JSON.stringify({
      type: 'workout.created',
      timestamp: new Date().toISOString(),
      data: { user_id: 'u' },
    });
    const headers = webhookHeaders([secret, old], 'msg_1', body);
    expect(new Webhook(secret).verify(body, headers)).toMatchObject({ type: 'workout.created' });
    expect(new Webhook(old).verify(body, headers)).toMatchObject({ type: 'workout.created' });
    expect(new StandardWebhook(secret.slice('whsec_'.length)).verify(body, headers)).toMatchObject({
      data: { user_id: 'u' },
    });
    expect(() => new Webhook(generateSecret()).verify(body, headers)).toThrow();
    expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow();
  });
});
