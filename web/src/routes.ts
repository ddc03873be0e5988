import { type ComponentType, type LazyExoticComponent, lazy } from 'react';

/**
 * Every page of the dashboard: a path pattern, its title in the navigation and its module (loaded on
 * demand, so the first load carries the shell only). `public` pages are reachable signed out.
 */
export interface PageRoute {
  path: string;
  title: string;
  nav?: 'main' | 'settings' | 'admin';
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
    path: '/contact',
    title: 'Contact us',
    public: true,
    component: lazy(() => import('./pages/contact.tsx')),
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
  {
    path: '/billing',
    title: 'Plan & billing',
    nav: 'settings',
    component: lazy(() => import('./pages/billing.tsx')),
  },
  { path: '/audit', title: 'Audit log', nav: 'settings', component: lazy(() => import('./pages/audit.tsx')) },
  {
    path: '/data-settings',
    title: 'Data settings',
    nav: 'settings',
    component: lazy(() => import('./pages/data-settings.tsx')),
  },
  // Platform admin (issue 21): shown in the navigation to superusers only (web/src/admin/access.ts).
  {
    path: '/admin',
    title: 'Admin overview',
    nav: 'admin',
    component: lazy(() => import('./admin/overview.tsx')),
  },
  {
    path: '/admin/developers',
    title: 'Developers',
    nav: 'admin',
    component: lazy(() => import('./admin/developers.tsx')),
  },
  {
    path: '/admin/developers/:id',
    title: 'Developer',
    component: lazy(() => import('./admin/developer-detail.tsx')),
  },
  {
    path: '/admin/end-users',
    title: 'End users',
    nav: 'admin',
    component: lazy(() => import('./admin/end-users.tsx')),
  },
  {
    path: '/admin/finance',
    title: 'Finance',
    nav: 'admin',
    component: lazy(() => import('./admin/finance.tsx')),
  },
  { path: '/admin/cogs', title: 'COGS', nav: 'admin', component: lazy(() => import('./admin/cogs.tsx')) },
  {
    path: '/admin/insights',
    title: 'Insights',
    nav: 'admin',
    component: lazy(() => import('./admin/insights.tsx')),
  },
  {
    path: '/admin/audit',
    title: 'Audit timeline',
    nav: 'admin',
    component: lazy(() => import('./admin/audit.tsx')),
  },
  {
    path: '/admin/system',
    title: 'System & jobs',
    nav: 'admin',
    component: lazy(() => import('./admin/system.tsx')),
  },
  {
    path: '/admin/support',
    title: 'Support',
    nav: 'admin',
    component: lazy(() => import('./admin/support.tsx')),
  },
  {
    path: '/admin/announcements',
    title: 'Announcements',
    nav: 'admin',
    component: lazy(() => import('./admin/announcements.tsx')),
  },
  {
    path: '/admin/nutrition-review',
    title: 'Nutrition review',
    nav: 'admin',
    component: lazy(() => import('./admin/nutrition-review.tsx')),
  },
];
