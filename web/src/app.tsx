import { Suspense, useEffect, useState } from 'react';
import { ErrorBoundary } from './error-boundary.tsx';
import { Layout } from './layout.tsx';
import { matchPath, navigate, useLocation } from './router.tsx';
import { routes } from './routes.ts';
import { LAST_EMAIL_KEY, SessionProvider, signIn, useSession, useToken } from './session.tsx';
import { Button, Dialog, ErrorNote, Field, Loading, useFormSubmit } from './ui.tsx';

function NotFound() {
  return (
    <div className="empty">
      <h1>Page not found</h1>
      <p>
        <a href="/">Back to the overview</a>
      </p>
    </div>
  );
}

/** Shown over the current page when the session expired: sign in again and carry on where you were. */
function ReauthDialog(props: { open: boolean; onDone: () => void }) {
  const { me } = useSession();
  const [email, setEmail] = useState('');
  // Filled when the dialog opens: the account that was signed in (its /auth/me is refused by then).
  useEffect(() => {
    if (props.open) setEmail((current) => current || me?.email || localStorage.getItem(LAST_EMAIL_KEY) || '');
  }, [props.open, me?.email]);
  const [password, setPassword] = useState('');
  const { busy, error, onSubmit } = useFormSubmit(async () => {
    await signIn(email, password);
    setPassword('');
    props.onDone();
  });
  return (
    <Dialog title="Your session has expired" open={props.open} onClose={() => undefined}>
      <form onSubmit={onSubmit}>
        <p>Sign in again to continue. Nothing on this page is lost.</p>
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
        {error !== undefined && <ErrorNote error={error} />}
        <Button type="submit" variant="primary" busy={busy}>
          Sign in
        </Button>
      </form>
    </Dialog>
  );
}

function Routed() {
  const { path } = useLocation();
  const token = useToken();
  let found: { route: (typeof routes)[number]; params: Record<string, string> } | undefined;
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (params) {
      found = { route, params };
      break;
    }
  }
  const needsSignIn = found !== undefined && !found.route.public && token === null;
  useEffect(() => {
    if (needsSignIn) navigate(`/login?next=${encodeURIComponent(path + location.search)}`, { replace: true });
  }, [needsSignIn, path]);
  useEffect(() => {
    if (found) document.title = `${found.route.title} · WearLink`;
  }, [found]);

  if (needsSignIn) return <Loading />;
  const page = found ? (
    <ErrorBoundary key={path}>
      <Suspense fallback={<Loading />}>
        <found.route.component params={found.params} />
      </Suspense>
    </ErrorBoundary>
  ) : (
    <NotFound />
  );
  if (found?.route.public) return <div className="public-page">{page}</div>;
  return <Layout>{page}</Layout>;
}

export function App() {
  return (
    <SessionProvider>
      {({ expired, resume }) => (
        <>
          <Routed />
          <ReauthDialog open={expired} onDone={resume} />
        </>
      )}
    </SessionProvider>
  );
}
