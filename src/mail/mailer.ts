import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../config/load-config.ts';
import type { Logger } from '../shared/logger.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/**
 * What became of a message. Mail is a side channel: callers fall back (an invitation link shown to the
 * inviter) rather than fail the request, so nothing here throws.
 */
export type MailResult = { ok: true } | { ok: false; reason: 'not_configured' | 'send_failed' };

/** Whether the instance sends mail at all (SMTP_URL set). */
export const mailConfigured = (config: Pick<Config, 'SMTP_URL'>): boolean => config.SMTP_URL !== undefined;

/** One transport per SMTP_URL, kept for the process (a test server may point at its own). */
const transports = new Map<string, Transporter>();

function transportFor(url: string): Transporter {
  let transport = transports.get(url);
  if (transport === undefined) {
    // Bounded waits: a mail server that does not answer must not hold an API request for minutes.
    transport = nodemailer.createTransport({
      url,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
    transports.set(url, transport);
  }
  return transport;
}

/**
 * Sends one plain-text message through SMTP_URL from SMTP_FROM. Unconfigured: `{ok: false, reason:
 * 'not_configured'}` (logged at info). A refusal or an unreachable server: `send_failed` (logged as a
 * warning without the message body, which may carry a link that works as a credential).
 */
export async function sendMail(
  config: Pick<Config, 'SMTP_URL' | 'SMTP_FROM'>,
  logger: Logger,
  message: MailMessage,
): Promise<MailResult> {
  if (config.SMTP_URL === undefined) {
    logger.info({ subject: message.subject }, 'mail not sent: SMTP_URL is not set');
    return { ok: false, reason: 'not_configured' };
  }
  try {
    await transportFor(config.SMTP_URL).sendMail({
      from: config.SMTP_FROM,
      to: message.to,
      subject: message.subject,
      text: message.text,
    });
    return { ok: true };
  } catch (error) {
    logger.warn(
      { subject: message.subject, error: error instanceof Error ? error.message : String(error) },
      'mail not sent: the SMTP server refused it or did not answer',
    );
    return { ok: false, reason: 'send_failed' };
  }
}
