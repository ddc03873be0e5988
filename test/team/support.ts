import type { ApiClient } from '../support/harness.ts';
import { uniqueSuffix } from '../support/harness.ts';

/** Invites `email` (fresh by default) into the owner's team as `role` and accepts it; returns the member's session. */
export async function addMember(
  api: ApiClient,
  ownerKey: string,
  role: 'admin' | 'viewer',
  email = `member-${uniqueSuffix()}@example.com`,
) {
  const invited = await api.request('POST', '/api/v1/team/invitations', {
    auth: { key: ownerKey },
    json: { email, role },
  });
  if (invited.status !== 201) throw new Error(`invite failed: ${invited.status} ${invited.text}`);
  const token = new URL(invited.body.invite_url as string).searchParams.get('token') ?? '';
  const password = 'member password 123';
  const accepted = await api.request('POST', '/api/v1/team/invitations/accept', {
    json: { token, name: `Member ${role}`, password },
  });
  if (accepted.status !== 201) throw new Error(`accept failed: ${accepted.status} ${accepted.text}`);
  const me = await api.request('GET', '/api/v1/auth/me', {
    auth: { bearer: accepted.body.access_token as string },
  });
  return {
    id: me.body.id as string,
    email,
    password,
    token,
    bearer: accepted.body.access_token as string,
    invitationId: invited.body.id as string,
  };
}

export async function login(api: ApiClient, email: string, password: string) {
  const res = await api.request('POST', '/api/v1/auth/login', {
    body: new URLSearchParams({ username: email, password }),
  });
  return res;
}
