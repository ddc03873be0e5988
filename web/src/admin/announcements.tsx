import { type FormEvent, useState } from 'react';
import { api, apiPath } from '../api.ts';
import { Badge, Button, Empty, ErrorNote, Field, formatDateTime, Section, Select, Table } from '../ui.tsx';
import {
  AdminHeader,
  ConfirmButton,
  Pager,
  type Pagination,
  QueryView,
  TextArea,
  useAdminAction,
  useAdminQuery,
  useFilters,
} from './common.tsx';

export interface AnnouncementRecord {
  id: string;
  severity: 'info' | 'warning' | 'critical';
  title: string;
  body: string;
  cta_label: string | null;
  cta_url: string | null;
  published_at: string;
  active: boolean;
  deactivated_at: string | null;
  published_by_email: string | null;
}

const severityTone = { info: 'info', warning: 'warn', critical: 'bad' } as const;
const severities = [
  { value: 'info', label: 'Info' },
  { value: 'warning', label: 'Warning' },
  { value: 'critical', label: 'Critical' },
];

function PublishForm() {
  const [severity, setSeverity] = useState('info');
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [ctaLabel, setCtaLabel] = useState('');
  const [ctaUrl, setCtaUrl] = useState('');
  const [urlError, setUrlError] = useState<string>();
  const publish = useAdminAction(
    () => '/api/v1/admin/announcements/publish',
    () => ({
      severity,
      title,
      body,
      ...(ctaUrl.trim() ? { cta_url: ctaUrl.trim(), cta_label: ctaLabel.trim() || undefined } : {}),
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const url = ctaUrl.trim();
    // The API refuses anything but http(s) too; saying so here keeps the form's message plain.
    if (url && !/^https?:\/\/[^\s]+$/i.test(url)) {
      setUrlError('Use a link starting with https:// or http://');
      return;
    }
    if (ctaLabel.trim() && !url) {
      setUrlError('A button label needs a link');
      return;
    }
    setUrlError(undefined);
    publish.mutate(undefined, {
      onSuccess: () => {
        setTitle('');
        setBody('');
        setCtaLabel('');
        setCtaUrl('');
      },
    });
  };
  return (
    <form onSubmit={submit} className="stack" aria-label="Publish an announcement">
      <p className="muted">Publishing replaces the active announcement: only one is shown at a time.</p>
      <Select
        label="Severity"
        value={severity}
        onChange={(e) => setSeverity(e.target.value)}
        options={severities}
      />
      <Field
        label="Title"
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        maxLength={120}
        required
      />
      <TextArea label="Message" value={body} onChange={setBody} maxLength={1000} required />
      <div className="row">
        <Field
          label="Button label (optional)"
          value={ctaLabel}
          onChange={(e) => setCtaLabel(e.target.value)}
          maxLength={40}
        />
        <Field
          label="Button link (optional)"
          type="url"
          value={ctaUrl}
          onChange={(e) => setCtaUrl(e.target.value)}
          placeholder="https://"
          error={urlError}
        />
      </div>
      {publish.isError && <ErrorNote error={publish.error} />}
      {publish.isSuccess && (
        <p role="status" className="notice">
          Published. Developers see it in their dashboard now.
        </p>
      )}
      <div>
        <Button type="submit" variant="primary" busy={publish.isPending}>
          Publish announcement
        </Button>
      </div>
    </form>
  );
}

function Active() {
  const active = useAdminQuery<{ announcement: Omit<AnnouncementRecord, 'active'> | null }>(
    '/api/v1/admin/announcements/active',
  );
  return (
    <QueryView query={active}>
      {({ announcement }) =>
        announcement === null ? (
          <Empty title="No active announcement">Developers see no banner.</Empty>
        ) : (
          <div className="stack">
            <p>
              <Badge tone={severityTone[announcement.severity]}>{announcement.severity}</Badge>{' '}
              <strong>{announcement.title}</strong>
            </p>
            <p>{announcement.body}</p>
            {announcement.cta_url && (
              <p>
                Button: {announcement.cta_label ?? 'Learn more'} → <code>{announcement.cta_url}</code>
              </p>
            )}
            <p className="muted">Published {formatDateTime(announcement.published_at)}</p>
            <div>
              <ConfirmButton
                label="Dismiss announcement"
                title="Dismiss the active announcement?"
                variant="danger"
                onConfirm={() => api.post(`/api/v1/admin/announcements/${announcement.id}/dismiss`)}
              >
                “{announcement.title}” stops showing in every dashboard.
              </ConfirmButton>
            </div>
          </div>
        )
      }
    </QueryView>
  );
}

function History() {
  const { offset } = useFilters(['offset']);
  const history = useAdminQuery<{ data: AnnouncementRecord[]; pagination: Pagination }>(
    apiPath('/admin/announcements/history', { limit: 20, offset }),
  );
  return (
    <QueryView query={history}>
      {({ data, pagination }) =>
        data.length === 0 ? (
          <Empty title="Nothing published yet" />
        ) : (
          <>
            <Table caption="Announcement history" head={['Published', 'Severity', 'Title', 'By', 'State']}>
              {data.map((item) => (
                <tr key={item.id}>
                  <td>{formatDateTime(item.published_at)}</td>
                  <td>
                    <Badge tone={severityTone[item.severity]}>{item.severity}</Badge>
                  </td>
                  <td>
                    <strong>{item.title}</strong>
                    <div className="muted">{item.body}</div>
                  </td>
                  <td>{item.published_by_email ?? '—'}</td>
                  <td>
                    {item.active ? (
                      <Badge tone="ok">Active</Badge>
                    ) : (
                      <span className="muted">Ended {formatDateTime(item.deactivated_at)}</span>
                    )}
                  </td>
                </tr>
              ))}
            </Table>
            <Pager pagination={pagination} label="Announcement history" />
          </>
        )
      }
    </QueryView>
  );
}

export default function AdminAnnouncements() {
  return (
    <>
      <AdminHeader
        title="Announcements"
        description="A platform-wide banner in every developer's dashboard."
      />
      <Section title="Active announcement">
        <Active />
      </Section>
      <Section title="Publish">
        <PublishForm />
      </Section>
      <Section title="History">
        <History />
      </Section>
    </>
  );
}
