import { useState } from 'react';
import { Link, navigate, useLocation } from '../../router.tsx';
import { signIn } from '../../session.tsx';
import { Button, ErrorNote, Field, useFormSubmit } from '../../ui.tsx';

/** Where to go after signing in: only a path on this origin (an open redirect otherwise). */
export function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export default function Login() {
  const { query } = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(true);
  const { busy, error, onSubmit } = useFormSubmit(async () => {
    await signIn(email, password, remember);
    navigate(safeNext(query.get('next')), { replace: true });
  });

  return (
    <div className="card">
      <h1>Sign in to WearLink</h1>
      <form onSubmit={onSubmit}>
        <Field
          label="Email"
          type="email"
          autoComplete="username"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          required
        />
        <Field
          label="Password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
        <div className="field">
          <label>
            <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} /> Keep
            me signed in on this device
          </label>
        </div>
        {error !== undefined && <ErrorNote error={error} />}
        <Button type="submit" variant="primary" busy={busy}>
          Sign in
        </Button>
      </form>
      <p>
        No account yet? <Link to="/signup">Create one</Link> · <Link to="/contact">Contact us</Link>
      </p>
    </div>
  );
}
