import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiPath } from '../api.ts';
import { useSession } from '../session.tsx';
import {
  Badge,
  Button,
  Empty,
  ErrorNote,
  formatDateTime,
  formatNumber,
  Loading,
  PageHeader,
  Section,
  Table,
} from '../ui.tsx';

interface PlanPrice {
  plan: string;
  monthly_usd: number;
  monthly_inr: number;
  daily_photo_quota: number | null;
  purchasable: boolean;
}

interface Invoice {
  id: string;
  plan: string;
  status: 'paid' | 'failed' | 'refunded';
  amount_inr: number;
  amount_usd: number;
  paid_at: string | null;
  created_at: string;
}

interface Billing {
  plan: string;
  billing_enabled: boolean;
  usd_inr_rate: number;
  plans: PlanPrice[];
  subscription: { plan: string; status: string; current_end: string | null } | null;
  invoices: Invoice[];
}

interface Checkout {
  short_url: string | null;
  plan: string;
}

const invoiceTone = { paid: 'ok', failed: 'bad', refunded: 'warn' } as const;

/** The tenant's plan, what each plan costs and includes, a Razorpay checkout, and its invoices. */
export default function BillingPage() {
  const { canWrite } = useSession();
  const queryClient = useQueryClient();
  const billing = useQuery({
    queryKey: ['billing'],
    queryFn: () => api.get<Billing>(apiPath('/billing/subscription')),
  });
  const checkout = useMutation({
    mutationFn: (plan: string) => api.post<Checkout>(apiPath('/billing/checkout'), { plan }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['billing'] }),
  });
  const data = billing.data;
  return (
    <>
      <PageHeader
        title="Plan & billing"
        description="Your plan sets your quotas (meal photos a day). Paid plans are billed monthly through Razorpay."
      />
      {billing.isPending && <Loading label="Loading your plan…" />}
      {billing.isError && <ErrorNote error={billing.error} retry={() => billing.refetch()} />}
      {data && (
        <>
          <Section title="Plans">
            <p>
              Current plan: <strong>{data.plan}</strong>
              {data.subscription && (
                <>
                  {' '}
                  · subscription <Badge tone="info">{data.subscription.status}</Badge>
                  {data.subscription.current_end && ` until ${formatDateTime(data.subscription.current_end)}`}
                </>
              )}
            </p>
            {!data.billing_enabled && (
              <p className="notice">
                Billing is not enabled on this instance: plans are set by its operator from the admin portal.
              </p>
            )}
            <Table caption="Plans and prices" head={['Plan', 'Per month', 'Meal photos a day', '']}>
              {data.plans.map((plan) => (
                <tr key={plan.plan}>
                  <td>{plan.plan}</td>
                  <td>
                    ${formatNumber(plan.monthly_usd, 2)} (₹{formatNumber(plan.monthly_inr, 2)})
                  </td>
                  <td>
                    {plan.daily_photo_quota === null ? 'Unlimited' : formatNumber(plan.daily_photo_quota)}
                  </td>
                  <td>
                    {plan.plan === data.plan ? (
                      <Badge tone="ok">Current</Badge>
                    ) : (
                      canWrite &&
                      data.billing_enabled &&
                      plan.purchasable && (
                        <Button
                          variant="primary"
                          busy={checkout.isPending && checkout.variables === plan.plan}
                          onClick={() => checkout.mutate(plan.plan)}
                        >
                          Subscribe to {plan.plan}
                        </Button>
                      )
                    )}
                  </td>
                </tr>
              ))}
            </Table>
            {checkout.isError && <ErrorNote error={checkout.error} />}
            {checkout.data && (
              <div className="notice" role="status">
                Subscription to {checkout.data.plan} created.{' '}
                {checkout.data.short_url ? (
                  <a href={checkout.data.short_url} target="_blank" rel="noreferrer">
                    Authorise the payment with Razorpay
                  </a>
                ) : (
                  'Razorpay will ask you to authorise the payment.'
                )}{' '}
                The plan applies as soon as Razorpay confirms it.
              </div>
            )}
          </Section>
          <Section title="Invoices">
            {data.invoices.length === 0 ? (
              <Empty title="No invoices yet" />
            ) : (
              <Table caption="Invoices" head={['Date', 'Plan', 'Amount', 'Status']}>
                {data.invoices.map((invoice) => (
                  <tr key={invoice.id}>
                    <td>{formatDateTime(invoice.paid_at ?? invoice.created_at)}</td>
                    <td>{invoice.plan}</td>
                    <td>
                      ₹{formatNumber(invoice.amount_inr, 2)} (${formatNumber(invoice.amount_usd, 2)})
                    </td>
                    <td>
                      <Badge tone={invoiceTone[invoice.status]}>{invoice.status}</Badge>
                    </td>
                  </tr>
                ))}
              </Table>
            )}
          </Section>
        </>
      )}
    </>
  );
}
