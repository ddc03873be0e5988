/**
 * What each vendor calls the app's `webhook_secret` and what it is for, after the vendor modules that
 * read it (src/providers/<vendor>/subscriptions.ts, webhook verification in src/providers/webhooks).
 * A vendor not listed (WHOOP signs with the client secret, Withings signs nothing) gets no field.
 */
export interface WebhookSecretField {
  label: string;
  hint: string;
  required: boolean;
}

export const webhookSecretFields: Record<string, WebhookSecretField> = {
  oura: {
    label: 'Webhook verification token',
    hint: 'Any value you choose: WearLink sends it when it creates the Oura webhook subscriptions, and Oura echoes it back. Needed for webhooks.',
    required: true,
  },
  fitbit: {
    label: 'Webhook secret',
    hint: 'Any value you choose: WearLink registers it as the subscriber’s secret and Google sends it in the Authorization header of each notification. Needed for webhooks.',
    required: true,
  },
  strava: {
    label: 'Webhook verify token',
    hint: 'Any value you choose: WearLink sends it when it creates the push subscription, and Strava echoes it back. Needed for webhooks.',
    required: true,
  },
  polar: {
    label: 'Webhook signature secret key',
    hint: 'Optional: Polar returns it when WearLink creates the webhook and WearLink stores it itself. Set it only for a webhook you created in Polar’s portal.',
    required: false,
  },
  garmin: {
    label: 'Webhook key',
    hint: 'Optional: when set, add ?key=<this value> to the webhook URL you register with Garmin; deliveries without it are refused.',
    required: false,
  },
};
