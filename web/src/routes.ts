import { type ComponentType, type LazyExoticComponent, lazy } from 'react';

/**
 * Every page of the dashboard: a path pattern, its title in the navigation and its module (loaded on
 * demand, so the first load carries the shell only). `public` pages are reachable signed out.
 */
export interface PageRoute {
  path: string;
  title: string;
  nav?: 'main' | 'settings';
  public?: boolean;
  component: LazyExoticComponent<ComponentType<{ params: Record<string, string> }>>;
}

export const routes: PageRoute[] = [
  { path: '/login', title: 'Sign in', public: true, component: lazy(() => import('./pages/auth/login.tsx')) },
  {
    path: '/signup',
    title: 'Sign up',
    public: true,
    component: lazy(() => import('./pages/auth/signup.tsx')),
  },
  {
    path: '/invitations/accept',
    title: 'Join a team',
    public: true,
    component: lazy(() => import('./pages/team/accept.tsx')),
  },
  { path: '/', title: 'Overview', nav: 'main', component: lazy(() => import('./pages/overview.tsx')) },
  { path: '/users', title: 'Users', nav: 'main', component: lazy(() => import('./pages/users/list.tsx')) },
  { path: '/users/:user_id', title: 'User', component: lazy(() => import('./pages/users/detail.tsx')) },
  {
    path: '/syncs',
    title: 'Live syncs',
    nav: 'main',
    component: lazy(() => import('./pages/syncs/list.tsx')),
  },
  { path: '/syncs/:run_id', title: 'Sync run', component: lazy(() => import('./pages/syncs/run.tsx')) },
  { path: '/imports', title: 'Imports', nav: 'main', component: lazy(() => import('./pages/imports.tsx')) },
  {
    path: '/webhooks',
    title: 'Webhooks',
    nav: 'main',
    component: lazy(() => import('./pages/webhooks/list.tsx')),
  },
  {
    path: '/webhooks/:endpoint_id',
    title: 'Webhook endpoint',
    component: lazy(() => import('./pages/webhooks/endpoint.tsx')),
  },
  {
    path: '/credentials',
    title: 'Credentials',
    nav: 'settings',
    component: lazy(() => import('./pages/credentials.tsx')),
  },
  {
    path: '/providers',
    title: 'Providers',
    nav: 'settings',
    component: lazy(() => import('./pages/providers.tsx')),
  },
  { path: '/team', title: 'Team', nav: 'settings', component: lazy(() => import('./pages/team/team.tsx')) },
  { path: '/audit', title: 'Audit log', nav: 'settings', component: lazy(() => import('./pages/audit.tsx')) },
  {
    path: '/data-settings',
    title: 'Data settings',
    nav: 'settings',
    component: lazy(() => import('./pages/data-settings.tsx')),
  },
];
