import type { Role } from '../../session.tsx';

export interface Member {
  id: string;
  email: string;
  name: string;
  role: Role;
  created_at: string;
}

export interface Invitation {
  id: string;
  email: string;
  role: 'admin' | 'viewer';
  created_at: string;
  expires_at: string;
}

export interface CreatedInvitation {
  id: string;
  email: string;
  role: 'admin' | 'viewer';
  expires_at: string;
  emailed: boolean;
  invite_url?: string;
}

export const MEMBERS = ['team', 'members'];
export const INVITATIONS = ['team', 'invitations'];

export const roleOptions = [
  { value: 'viewer', label: 'Viewer (read only)' },
  { value: 'admin', label: 'Admin (everything but the owner)' },
] as const;

export const roleLabel: Record<Role, string> = { owner: 'Owner', admin: 'Admin', viewer: 'Viewer' };
