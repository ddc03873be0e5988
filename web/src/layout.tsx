import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useIsSuperuser } from './admin/access.ts';
import { api } from './api.ts';
import { Link, useLocation } from './router.tsx';
import { routes } from './routes.ts';
import { useSession } from './session.tsx';
import { Button } from './ui.tsx';

interface Announcement {
  id: string;
  title: string;
  body: string;
  severity: 'info' | 'warning' | 'critical';
  cta_label: string | null;
  cta_url: string | null;
}

/** The platform's active announcement (readable without auth); dismissed per announcement id. */
export function AnnouncementBanner() {
  const active = useQuery({
    queryKey: ['announcement'],
    queryFn: () =>
      api
        .get<{ announcement: Announcement | null }>('/api/v1/admin/announcements/active', { anonymous: true })
        .then((body) => body.announcement)
        .catch(() => null),
    staleTime: 5 * 60_000,
  });
  const [dismissed, setDismissed] = useState(() => localStorage.getItem('wearlink.announcement.dismissed'));
  const item = active.data;
  if (!item || item.id === dismissed) return null;
  return (
    <aside className={`announcement announcement-${item.severity}`} aria-label="Announcement">
      <div>
        <strong>{item.title}</strong> <span>{item.body}</span>
        {item.cta_url && /^https?:\/\//.test(item.cta_url) && (
          <>
            {' '}
            <a href={item.cta_url}>{item.cta_label ?? 'Learn more'}</a>
          </>
        )}
      </div>
      <Button
        variant="link"
        aria-label="Dismiss announcement"
        onClick={() => {
          localStorage.setItem('wearlink.announcement.dismissed', item.id);
          setDismissed(item.id);
        }}
      >
        Dismiss
      </Button>
    </aside>
  );
}

export function Layout(props: { children: ReactNode }) {
  const { me, role, signOut } = useSession();
  const { path } = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const isCurrent = (to: string) =>
    to === '/' || to === '/admin' ? path === to : path === to || path.startsWith(`${to}/`);
  const superuser = useIsSuperuser();
  const navLinks = (group: 'main' | 'settings' | 'admin') =>
    routes
      .filter((route) => route.nav === group)
      .map((route) => (
        <li key={route.path}>
          <Link
            to={route.path}
            aria-current={isCurrent(route.path) ? 'page' : undefined}
            onClick={() => setMenuOpen(false)}
          >
            {route.title}
          </Link>
        </li>
      ));
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Button
          className="menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="sidebar"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          Menu
        </Button>
        <Link to="/" className="brand">
          WearLink
        </Link>
        <div className="account">
          <span className="muted account-email">{me?.email}</span>
          <span className="badge badge-neutral">{role}</span>
          <a href="/docs">API docs</a>
          <Button variant="link" onClick={signOut}>
            Sign out
          </Button>
        </div>
      </header>
      <nav id="sidebar" className={`sidebar${menuOpen ? ' open' : ''}`} aria-label="Main">
        <ul>{navLinks('main')}</ul>
        <p className="nav-group">Settings</p>
        <ul>{navLinks('settings')}</ul>
        {superuser && (
          <>
            <p className="nav-group">Admin</p>
            <ul>{navLinks('admin')}</ul>
          </>
        )}
      </nav>
      <main id="main" tabIndex={-1}>
        <AnnouncementBanner />
        {props.children}
      </main>
    </div>
  );
}
