import { useState } from 'react';
import { api } from '../../api.ts';
import { Link, navigate, useLocation } from '../../router.tsx';
import { signIn } from '../../session.tsx';
import { Button, CopyField, ErrorNote, Field, useFormSubmit } from '../../ui.tsx';

interface Registered {
  id: string;
  email: string;
  api_key: { key: string; name: string };
}

export default function Signup() {
  const { query } = useLocation();
  const [name, setName] = useState('');
  const [email, setEmail] = useState(query.get('email') ?? '');
  const [password, setPassword] = useState('');
  const [created, setCreated] = useState<Registered>();

  const { busy, error, onSubmit } = useFormSubmit(async () => {
    const body: Record<string, string> = { name, email, password };
    const invite = query.get('invite_token');
    if (invite) body.invite_token = invite;
    const account = await api.post<Registered>('/api/v1/auth/register', body, { anonymous: true });
    await signIn(email, password);
    setCreated(account);
  });

  if (created) {
    return (
      <div className="card">
        <h1>Your account is ready</h1>
        <p>
          This is your first API key. It is shown <strong>once</strong>: copy it now and keep it on your
          server.
        </p>
        <CopyField label="API key" value={created.api_key.key} />
        <Button variant="primary" onClick={() => navigate('/', { replace: true })}>
          Go to the dashboard
        </Button>
      </div>
    );
  }
  return (
    <div className="card">
      <h1>Create your WearLink account</h1>
      <form onSubmit={onSubmit}>
        <Field
          label="Name"
          autoComplete="name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
        />
        <Field
          label="Email"
          type="email"
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          required
        />
        <Field
          label="Password"
          type="password"
          autoComplete="new-password"
          minLength={8}
          hint="At least 8 characters."
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
        {error !== undefined && <ErrorNote error={error} />}
        <Button type="submit" variant="primary" busy={busy}>
          Create account
        </Button>
      </form>
      <p>
        Already have an account? <Link to="/login">Sign in</Link>
      </p>
    </div>
  );
}
