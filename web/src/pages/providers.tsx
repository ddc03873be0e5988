import { useQuery } from '@tanstack/react-query';
import { api, apiPath } from '../api.ts';
import { useSession } from '../session.tsx';
import { Badge, Empty, ErrorNote, Loading, PageHeader, Section, Table } from '../ui.tsx';
import type { CatalogueEntry } from './providers/types.ts';
import { VendorCard } from './providers/vendor-card.tsx';
import './providers/providers.css';

/**
 * Settings → Providers: per OAuth vendor, whether users can connect (`is_configured`), the callback and
 * webhook URLs exactly as the server builds them from PUBLIC_URL, the app's request budget and the app
 * credentials form. SDK and built-in providers need no app and are listed for completeness.
 */
export default function ProvidersPage() {
  const { canWrite } = useSession();
  const catalogue = useQuery({
    queryKey: ['providers'],
    queryFn: ({ signal }) => api.get<{ data: CatalogueEntry[] }>(apiPath('/providers'), { signal }),
  });
  const entries = catalogue.data?.data ?? [];
  const vendors = entries.filter((e) => e.kind === 'oauth');
  const others = entries.filter((e) => e.kind !== 'oauth');
  const publicOrigin = originOf(vendors.find((v) => v.callback_url)?.callback_url);
  return (
    <>
      <PageHeader
        title="Providers"
        description="Register an app with each wearable vendor you support, paste WearLink's URLs into its portal, and save the app's credentials here."
      />
      {catalogue.isPending && <Loading label="Loading providers…" />}
      {catalogue.isError && <ErrorNote error={catalogue.error} retry={() => catalogue.refetch()} />}
      {catalogue.data && entries.length === 0 && <Empty title="No providers in this build" />}
      {publicOrigin && publicOrigin !== location.origin && (
        <p className="notice provider-origin-note">
          Vendors reach this instance at <span className="mono">{publicOrigin}</span> (its PUBLIC_URL), not at{' '}
          <span className="mono">{location.origin}</span> where you opened the dashboard: the URLs below use
          PUBLIC_URL, as vendors must.
        </p>
      )}
      {vendors.length > 0 && <VendorSummary vendors={vendors} />}
      {vendors.map((entry) => (
        <VendorCard key={entry.slug} entry={entry} canWrite={canWrite} />
      ))}
      {others.length > 0 && (
        <Section title="Providers without a vendor app">
          <p className="muted">
            Their data comes from your mobile app through the WearLink SDK, or from WearLink itself: nothing
            to configure.
          </p>
          <Table caption="Providers without a vendor app" head={['Provider', 'Kind', 'Status']}>
            {others.map((entry) => (
              <tr key={entry.slug}>
                <td>
                  {entry.name} <span className="muted mono">{entry.slug}</span>
                </td>
                <td>{entry.kind === 'sdk' ? 'Mobile SDK' : 'Built in'}</td>
                <td>
                  <Badge tone={entry.is_configured ? 'ok' : 'warn'}>
                    {entry.is_configured ? 'Ready' : 'Not configured'}
                  </Badge>
                </td>
              </tr>
            ))}
          </Table>
        </Section>
      )}
    </>
  );
}

function originOf(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** Every vendor's state in one table, each linking to its card below. */
function VendorSummary({ vendors }: { vendors: CatalogueEntry[] }) {
  const configured = vendors.filter((v) => v.is_configured).length;
  return (
    <Section title="Vendors">
      <p className="muted">
        {configured} of {vendors.length} vendors configured: your users can connect those.
      </p>
      <Table caption="Vendors and whether they are configured" head={['Vendor', 'Status', 'App']}>
        {vendors.map((v) => (
          <tr key={v.slug}>
            <td>
              <a href={`#provider-${v.slug}`}>{v.name}</a>
            </td>
            <td>
              <Badge tone={v.is_configured ? 'ok' : 'warn'}>
                {v.is_configured ? 'Configured' : 'Not configured'}
              </Badge>
            </td>
            <td>
              {v.app_source === 'developer'
                ? 'Your app'
                : v.app_source === 'instance'
                  ? 'Instance default'
                  : 'None'}
            </td>
          </tr>
        ))}
      </Table>
    </Section>
  );
}
