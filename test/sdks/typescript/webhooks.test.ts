import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { expect, it } from 'vitest';
import { WebhookVerificationError, WebhookVerifier } from '../../../sdks/typescript/src/index.ts';
import { describeEachDatabase } from '../../support/harness.ts';
import { startReceiver } from '../../webhooks/receiver.ts';
import { newClient, until } from './support.ts';

const headersOf = (h: Record<string, string | string[] | undefined>) => ({
  'webhook-id': String(h['webhook-id']),
  'webhook-timestamp': String(h['webhook-timestamp']),
  'webhook-signature': String(h['webhook-signature']),
});

describeEachDatabase(
  'TypeScript SDK: webhook verification',
  (ctx) => {
    it('verifies a real delivery as standardwebhooks and svix do, and rejects tampered ones', async () => {
      const server = ctx();
      const receiver = await startReceiver();
      try {
        const { client } = await newClient(server);
        const endpoint = await client.webhooks.create({
          url: receiver.url('/hook'),
          description: 'SDK test',
        });
        const { key: secret } = await client.webhooks.secret(endpoint.id);
        expect(secret).toMatch(/^whsec_/);
        const sent = await client.webhooks.test(endpoint.id);
        await until(() => receiver.on('/hook').length >= 1, 20_000, 'delivery');
        const delivery = receiver.on('/hook')[0]!;
        const headers = headersOf(delivery.headers);
        expect(headers['webhook-id']).toBe(sent.message_id);

        const verifier = new WebhookVerifier(secret);
        const verified = await verifier.verify<{ type: string }>(delivery.body, delivery.headers);
        expect(verified.id).toBe(sent.message_id);
        expect(verified.payload.type).toBe('webhook.test');
        // Headers as fetch gives them, and the body as bytes, verify the same.
        await verifier.verify(new TextEncoder().encode(delivery.body), new Headers(headers));
        // The oracles agree.
        expect(new StandardWebhook(secret).verify(delivery.body, headers)).toMatchObject({
          type: 'webhook.test',
        });
        expect(new SvixWebhook(secret).verify(delivery.body, headers)).toMatchObject({
          type: 'webhook.test',
        });

        const tampered = delivery.body.replace('webhook.test', 'webhook.tesT');
        await expect(verifier.verify(tampered, headers)).rejects.toBeInstanceOf(WebhookVerificationError);
        expect(() => new StandardWebhook(secret).verify(tampered, headers)).toThrow();
        const badSignature = { ...headers, 'webhook-signature': `v1,${btoa('x'.repeat(32))}` };
        await expect(verifier.verify(delivery.body, badSignature)).rejects.toThrow(/No matching signature/);
        const otherId = { ...headers, 'webhook-id': 'msg_other' };
        await expect(verifier.verify(delivery.body, otherId)).rejects.toThrow(/No matching signature/);
        // Outside the tolerance window (5 minutes by default), either way.
        const sentAt = Number(headers['webhook-timestamp']) * 1000;
        await expect(verifier.verify(delivery.body, headers, new Date(sentAt + 301_000))).rejects.toThrow(
          /too old/,
        );
        await expect(verifier.verify(delivery.body, headers, new Date(sentAt - 301_000))).rejects.toThrow(
          /too new/,
        );
        await expect(
          new WebhookVerifier(secret, { toleranceSeconds: 600 }).verify(
            delivery.body,
            headers,
            new Date(sentAt + 301_000),
          ),
        ).resolves.toMatchObject({ id: sent.message_id });
        await expect(verifier.verify(delivery.body, {})).rejects.toThrow(/Missing webhook headers/);

        // A rotation overlap: deliveries carry a signature per secret, and either secret verifies them.
        const rotated = await client.webhooks.rotateSecret(endpoint.id);
        expect(rotated.previous_key).toBe(secret);
        await client.webhooks.test(endpoint.id);
        await until(() => receiver.on('/hook').length >= 2, 20_000, 'second delivery');
        const second = receiver.on('/hook')[1]!;
        expect(String(second.headers['webhook-signature']).split(' ')).toHaveLength(2);
        await new WebhookVerifier(secret).verify(second.body, second.headers);
        await new WebhookVerifier(rotated.key).verify(second.body, second.headers);
        const stranger = `whsec_${btoa('another secret of 24 b!!')}`;
        await new WebhookVerifier([stranger, rotated.key]).verify(second.body, second.headers);
        await expect(new WebhookVerifier(stranger).verify(second.body, second.headers)).rejects.toThrow(
          WebhookVerificationError,
        );
        // A signature made by the SDK is one the oracle accepts.
        const now = new Date();
        const own = await new WebhookVerifier(rotated.key).sign('msg_1', now, '{"a":1}');
        expect(
          new StandardWebhook(rotated.key).verify('{"a":1}', {
            'webhook-id': 'msg_1',
            'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
            'webhook-signature': own,
          }),
        ).toEqual({ a: 1 });
      } finally {
        await receiver.close();
      }
    });
  },
  {
    env: {
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      WEBHOOK_POLL_INTERVAL_MS: '25',
      WEBHOOK_RETRY_SCHEDULE_SECONDS: '0,0.1,0.1',
    },
  },
);
