import { useId, useState } from 'react';
import { api } from '../api.ts';
import { Link } from '../router.tsx';
import { Button, ErrorNote, Field, useFormSubmit } from '../ui.tsx';

/** The public contact form: files a support ticket the operator sees in the admin portal. */
export default function Contact() {
  const [form, setForm] = useState({ name: '', email: '', subject: '', message: '' });
  const [sent, setSent] = useState<string>();
  const messageId = useId();
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) =>
    setForm({ ...form, [key]: event.target.value });
  const { busy, error, onSubmit } = useFormSubmit(async () => {
    const body: Record<string, string> = {
      email: form.email,
      subject: form.subject,
      message: form.message,
    };
    if (form.name.trim()) body.name = form.name;
    const ticket = await api.post<{ id: string }>('/api/v1/support/contact', body, {
      anonymous: true,
    });
    setSent(ticket.id);
  });

  if (sent) {
    return (
      <div className="card" role="status">
        <h1>Thank you</h1>
        <p>Your message reached the team running this WearLink (ticket {sent}). They answer by email.</p>
        <Link to="/">Back to WearLink</Link>
      </div>
    );
  }
  return (
    <div className="card">
      <h1>Contact us</h1>
      <form onSubmit={onSubmit}>
        <Field label="Name" autoComplete="name" value={form.name} onChange={set('name')} maxLength={120} />
        <Field
          label="Email"
          type="email"
          autoComplete="email"
          value={form.email}
          onChange={set('email')}
          required
        />
        <Field label="Subject" value={form.subject} onChange={set('subject')} maxLength={200} required />
        <div className="field">
          <label htmlFor={messageId}>Message</label>
          <textarea
            id={messageId}
            rows={6}
            value={form.message}
            onChange={set('message')}
            maxLength={5000}
            required
          />
        </div>
        {error !== undefined && <ErrorNote error={error} />}
        <Button type="submit" variant="primary" busy={busy}>
          Send message
        </Button>
      </form>
    </div>
  );
}
