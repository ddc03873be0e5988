/**
 * GENERATED FILE: do not edit. The types of WearLink's REST API, made by openapi-typescript from the
 * OpenAPI document the server serves at /api/v1/openapi.json.
 * Regenerate with `npx tsx sdks/typescript/scripts/generate.ts` (test/sdks/typescript/types-fresh.test.ts fails when stale).
 */

export interface paths {
  '/api/v1/admin/announcements/{announcement_id}/dismiss': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Deactivate an announcement (an inactive one is left as is, and not audited again)
     * @description Superusers only (SUPERUSER_EMAILS or is_superuser); 404 for everyone else.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          announcement_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The announcement, now inactive */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AnnouncementRecord'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/admin/announcements/active': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The current platform announcement, or null (public: no credential needed) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The active announcement */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              announcement: components['schemas']['Announcement'];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/admin/announcements/history': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Every announcement published, newest first (active and past)
     * @description Superusers only (SUPERUSER_EMAILS or is_superuser); 404 for everyone else.
     */
    get: {
      parameters: {
        query?: {
          limit?: number;
          offset?: number | null;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description A page of announcements */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              data: components['schemas']['AnnouncementRecord'][];
              pagination: {
                has_more: boolean;
                limit: number;
                offset: number;
                total_count: number;
              };
            };
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/admin/announcements/publish': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Publish a banner; the previously active one is deactivated
     * @description Superusers only (SUPERUSER_EMAILS or is_superuser); 404 for everyone else.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['AnnouncementPublish'];
        };
      };
      responses: {
        /** @description The new active announcement */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AnnouncementRecord'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Duplicate resource */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Body too large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Unsupported media type */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/admin/audit': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The audit timeline across every tenant, newest first */
    get: {
      parameters: {
        query?: {
          /** @description A catalogued action, or a group wildcard such as `admin.*` */
          action?: string;
          /** @description next_cursor of the previous page */
          cursor?: string;
          /** @description Only this tenant's trail */
          developer_id?: string;
          limit?: number;
          /** @description Actions starting with this text, e.g. `developer.` */
          prefix?: string;
          /** @description Substring of the action, actor or target id, IP, detail or trail email */
          q?: string;
          /** @description Rows at or after this instant; a date is its midnight UTC */
          since?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description One page */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AdminAuditPage'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/admin/cogs/summary': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Cost of goods sold over a period, gross margin and per-plan unit economics
     * @description Period `from` (inclusive, default: the start of the current UTC month) to `to` (exclusive, default: now). Lines: vision recognitions (meal logs with a vision model created in the period), object storage (bytes of meal photos still stored, per GB-month), webhook deliveries (attempts in the period), Razorpay fees (RAZORPAY_FEE_PCT of INR collected in the period), fixed infra. Monthly rates are prorated to the period in 30-day months. Gross margin = (collected − refunded − costs) / (collected − refunded); null without revenue. Unit economics: each plan at its full daily photo quota for 30 days.
     */
    get: {
      parameters: {
        query?: {
          from?: string;
          to?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description COGS */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AdminCogsSummary'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/admin/developers': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Developer accounts across tenants (tenants and team members), newest first */
    get: {
      parameters: {
        query?: {
          limit?: number;
          /** @description `true`: only accounts locked now; `false`: only the others */
          locked?: 'true' | 'false';
          offset?: number | null;
          plan?: string;
          /** @description Case-insensitive substring */
          q?: string;
          superuser?: 'true' | 'false';
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description One page */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AdminDeveloperList'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/admin/developers/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One developer account: organisation, subscription, key and user counts, team, last 20 audit rows */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The account */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AdminDeveloperDetail'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/admin/developers/{id}/lock': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Lock an account for 7 days
     * @description Its logins are refused (403 `account_locked`) and its sessions end at once; its API keys keep working. The root admin and one's own account cannot be locked. Audited as admin.developer.locked.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The account, locked */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AdminDeveloper'];
          };
        };
        /** @description Business rule violated or malformed body */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/admin/developers/{id}/plan': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Set a developer's plan by hand
     * @description For a self-hosted instance without Razorpay (or a deal made outside it): the plan and its quotas apply at once. A later Razorpay event for the developer sets its plan again. Audited (`admin.developer.plan_set`).
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['AdminPlanInput'];
        };
      };
      responses: {
        /** @description Plan set */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AdminPlanSet'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Unsupported media type */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/admin/developers/{id}/superuser': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Grant or revoke superuser (the root admin only)
     * @description Only the root admin (the first SUPERUSER_EMAILS address) may call this; any other superuser gets 403 `code: root_only`, everyone else 404. Sets developers.is_superuser; an address listed in SUPERUSER_EMAILS stays a superuser whatever the flag. Audited as admin.developer.superuser_granted / _revoked.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['AdminSuperuserRequest'];
        };
      };
      responses: {
        /** @description The account after the change */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AdminDeveloper'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Body too large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Unsupported media type */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/admin/developers/{id}/unlock': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Lift a lock and reset the failed-login counter
     * @description Audited as admin.developer.unlocked.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The account, unlocked */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AdminDeveloper'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/admin/end-users': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** End users across tenants (each with its developer's email), newest first */
    get: {
      parameters: {
        query?: {
          limit?: number;
          offset?: number | null;
          /** @description Case-insensitive substring */
          q?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description One page */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AdminEndUserList'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/admin/end-users/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One end user, with its developer and connections */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The end user */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AdminEndUserDetail'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/admin/finance/invoices': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Every invoice, newest first, with filters
     * @description `from` (inclusive) and `to` (exclusive) filter on when the invoice was recorded.
     */
    get: {
      parameters: {
        query?: {
          developer_id?: string;
          from?: string;
          limit?: number;
          offset?: number | null;
          plan?: 'hobby' | 'developer' | 'scale' | 'enterprise';
          status?: 'paid' | 'failed' | 'refunded';
          to?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description A page */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AdminInvoicePage'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/admin/finance/invoices/{id}/mark-refunded': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Mark an invoice refunded (bookkeeping: issue the refund in Razorpay first)
     * @description Flips a paid invoice to refunded for its whole amount. 409 `invoice_not_refundable` for a failed or already refunded one. Audited (`admin.invoice.marked_refunded`).
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Refunded */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['BillingInvoice'] & {
              usd_inr_rate: number;
            };
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Duplicate resource */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/admin/finance/subscriptions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every subscription, newest first */
    get: {
      parameters: {
        query?: {
          developer_id?: string;
          limit?: number;
          offset?: number | null;
          plan?: 'hobby' | 'developer' | 'scale' | 'enterprise';
          status?:
            | 'created'
            | 'authenticated'
            | 'active'
            | 'pending'
            | 'halted'
            | 'cancelled'
            | 'completed'
            | 'expired';
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description A page */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AdminSubscriptionPage'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/admin/finance/summary': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * MRR, ARR, month-over-month change, collections and refunds
     * @description MRR: the price-book monthly price of every live Razorpay subscription (active, or pending while Razorpay retries the card); plans set by hand are not revenue. `mom_change_pct` compares with the MRR at the start of this UTC month (null when that was zero). Collections and refunds are this and last UTC month's invoices.
     */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Summary */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AdminFinanceSummary'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/admin/insights': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * SaaS metrics: ARPU, LTV, churn, conversion, plan mix, funnel, DAU, cohorts, providers, top tenants
     * @description A tenant's activity is any audited action, sync run or meal log (UTC days; ISO weeks from Monday). DAU covers the last 14 days, cohorts the last 8 weeks (`retained[k]`: members active k weeks after their registration week), top tenants the last 30 days.
     */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Insights */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AdminInsights'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/admin/jobs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The registry of scheduled jobs, with their last run where known */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Jobs */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AdminJobList'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/admin/jobs/{name}/run': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Run a scheduled job now (or queue it at once)
     * @description Jobs that run on a queue are queued and report `queued`; the others run in this request and report what they did. A job the configuration turns off is 400 `code: job_disabled`. Audited as admin.job.run.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          name: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description What ran */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AdminJobRun'];
          };
        };
        /** @description Business rule violated or malformed body */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/admin/nutrition/review/{log_id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A log in full, with a short-lived URL of its photo */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          log_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The log */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['NutritionReviewDetail'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/admin/nutrition/review/{log_id}/approve': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Approve: status recognized (human_reviewed) and nutrition.log.recognized */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          log_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The resolved log */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['NutritionReviewLog'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Duplicate resource */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/admin/nutrition/review/{log_id}/image': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A log's photo, by the signed URL of the review detail (no credential; expires) */
    get: {
      parameters: {
        query: {
          expires?: number | null;
          signature: string;
        };
        header?: never;
        path: {
          log_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The photo */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'image/*': string;
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/admin/nutrition/review/{log_id}/items/{item_id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /** Edit one item of a queued log (dish, grams, macros) before approving it */
    patch: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          item_id: string;
          log_id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['NutritionItemCorrection'];
        };
      };
      responses: {
        /** @description The log after the edit */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['NutritionReviewLog'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Duplicate resource */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Body too large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Unsupported media type */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    trace?: never;
  };
  '/api/v1/admin/nutrition/review/{log_id}/reject': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Reject: the log is soft-deleted (status discarded) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          log_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The resolved log */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['NutritionReviewLog'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Duplicate resource */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/admin/nutrition/review/bulk': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Approve or reject up to 200 queued logs; an outcome per log */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['NutritionReviewBulk'];
        };
      };
      responses: {
        /** @description Outcomes */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['NutritionReviewBulkResult'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Body too large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Unsupported media type */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/admin/nutrition/review/queue': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Logs awaiting human review (low confidence, verifier disagreement, failed recognition), oldest first
     * @description Superusers only (SUPERUSER_EMAILS); 404 for everyone else.
     */
    get: {
      parameters: {
        query?: {
          cursor?: string;
          limit?: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description A page of the queue */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              data: components['schemas']['NutritionReviewLog'][];
              pagination: {
                has_more: boolean;
                next_cursor: string | null;
                total_count: number;
              };
            };
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/admin/overview': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * SaaS overview: tenants, MRR/ARR, plan distribution, 14-day signups, things to do
     * @description Superusers only (everyone else: 404). MRR/ARR are the price-book prices of live Razorpay subscriptions (see /admin/finance/summary).
     */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Overview cards */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AdminOverview'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/admin/support': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Support tickets, newest first, with filters (status, q over email/name/subject/message)
     * @description Superusers only (SUPERUSER_EMAILS or is_superuser); 404 for everyone else.
     */
    get: {
      parameters: {
        query?: {
          limit?: number;
          offset?: number | null;
          q?: string;
          status?: 'open' | 'resolved';
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description A page of tickets */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              data: components['schemas']['SupportTicket'][];
              /** @description Open tickets overall (any filter) */
              open_count: number;
              pagination: {
                has_more: boolean;
                limit: number;
                offset: number;
                total_count: number;
              };
            };
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/admin/support/{ticket_id}/resolve': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Resolve a ticket ({resolved: true}) or reopen it ({resolved: false})
     * @description Superusers only (SUPERUSER_EMAILS or is_superuser); 404 for everyone else. A ticket already in the asked state is returned unchanged, with no audit row.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          ticket_id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['SupportResolve'];
        };
      };
      responses: {
        /** @description The ticket */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['SupportTicket'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Body too large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Unsupported media type */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/admin/system/health': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Database size per table, Redis stats, job queue depth, blob store reachability
     * @description The blob store is probed by writing, reading back and deleting a small object. Redis is `configured: false` without REDIS_URL.
     */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Health */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AdminSystemHealth'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/audit-logs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Your audit trail, newest first
     * @description Every privileged action of your account (logins, keys, provider apps, users, connections, webhook endpoints, exports, retention) is one append-only row, scoped to you. Each row carries a hash chained to your previous row (`wearlink audit verify` checks the chain).
     */
    get: {
      parameters: {
        query?: {
          /** @description A catalogued action, or a group wildcard such as `api_key.*` */
          action?: string;
          cursor?: string;
          limit?: number;
          /** @description Rows at or after this instant; a date (YYYY-MM-DD) is its midnight UTC */
          since?: string;
          /** @description Rows before this instant; a date (YYYY-MM-DD) includes that whole day (UTC) */
          until?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description A page of rows */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AuditLogPage'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/audit-logs/actions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The audited actions and the group wildcards the `action` filter accepts */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Action names and wildcards */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AuditActionCatalogue'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/audit-logs/export': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Download your audit trail as newline-delimited JSON, oldest first
     * @description One row (as in GET /api/v1/audit-logs) per line, streamed with bounded memory however long the trail; ends at your newest row when the request started. `Content-Disposition: attachment` makes browsers save it.
     */
    get: {
      parameters: {
        query?: {
          /** @description A catalogued action, or a group wildcard such as `api_key.*` */
          action?: string;
          /** @description Rows at or after this instant; a date (YYYY-MM-DD) is its midnight UTC */
          since?: string;
          /** @description Rows before this instant; a date (YYYY-MM-DD) includes that whole day (UTC) */
          until?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description NDJSON stream */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/x-ndjson': string;
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/login': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Exchange email and password for a 60-minute dashboard JWT */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/x-www-form-urlencoded': components['schemas']['LoginForm'];
          'multipart/form-data': components['schemas']['LoginForm'];
        };
      };
      responses: {
        /** @description Session token */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AccessToken'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description The account is locked (LOGIN_LOCKOUT_THRESHOLD failed logins in a row, or an administrator): `locked_until` says when it unlocks. Answered whatever the password. */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AccountLocked'];
          };
        };
        /** @description Body too large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Unsupported media type */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Rate limited; see Retry-After */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/me': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The account behind the credential: its tenant and its role in the team
     * @description `id`, `email`, `name` and `created_at` are the account's (a team member's own); `plan` is the tenant's. An API key answers as the tenant's owner account with role `admin`.
     */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Current account */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Me'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /**
     * Change the acting account's name or organisation
     * @description The account behind a session (a team member changes their own). `organization: null` clears it. Audited as `developer.profile_updated`.
     */
    patch: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['UpdateProfileRequest'];
        };
      };
      responses: {
        /** @description The account */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Me'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Body too large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Unsupported media type */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Rate limited; see Retry-After */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    trace?: never;
  };
  '/api/v1/auth/register': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Create a developer account and its default API key (the key is shown once)
     * @description Allowed by the instance's REGISTRATION_MODE: `open` (anyone), `first` (only the first account), `closed` (never). Where the mode refuses, an `invite_token` from POST /api/v1/developer/invites (for this email) admits one account, as does `wearlink developer create`. A refusal is 403 with `code: registration_closed` (or `invite_invalid`).
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['RegisterRequest'];
        };
      };
      responses: {
        /** @description Account created */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['RegisterResponse'];
          };
        };
        /** @description Business rule violated or malformed body */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Duplicate resource */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Body too large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Unsupported media type */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Rate limited; see Retry-After */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/verify-email': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Confirm an account's email address with the mailed link (valid 72 hours)
     * @description The link from the registration mail (or POST /api/v1/auth/verify-email/resend). A browser (Accept: text/html) is redirected to the dashboard: `/?verified=1`, or `/?verified=0&reason=invalid|expired`. Other clients get JSON; a bad or expired token is 400 `code: verification_invalid`. Using a link twice is harmless.
     */
    get: {
      parameters: {
        query: {
          /** @description The token of the mailed link */
          token: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The address is verified */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['EmailVerified'];
          };
        };
        /** @description A browser: redirected to the dashboard with the outcome */
        302: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Business rule violated or malformed body */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Rate limited; see Retry-After */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/verify-email/resend': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Send the acting account's email verification link again
     * @description Mailed when the instance has SMTP_URL, logged for the operator otherwise. An account already verified is told so and nothing is sent.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description What was done */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['VerificationResent'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Rate limited; see Retry-After */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/billing/checkout': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Start a Razorpay subscription to a paid plan
     * @description Creates the subscription in Razorpay (status `created`) and returns what Razorpay Checkout needs; the plan applies when Razorpay reports the subscription active (webhook). Owners and admins only. 409 `billing_disabled` when this instance does not bill through Razorpay (plans are then set by an operator), `plan_not_available` when the plan has no Razorpay plan id (RAZORPAY_PLAN_IDS), `already_subscribed` when an active subscription to it exists; 503 `payment_provider_error` when Razorpay refuses or cannot be reached.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['BillingCheckoutInput'];
        };
      };
      responses: {
        /** @description Subscription created */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['BillingCheckout'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Duplicate resource */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Unsupported media type */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Razorpay refused or could not be reached (`payment_provider_error`) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/billing/razorpay/webhook': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Razorpay's webhook (register this URL in Razorpay's dashboard)
     * @description Razorpay events: subscription.activated/charged/pending/halted/cancelled/completed, payment.captured/failed, refund.processed. Verified with `X-Razorpay-Signature` (hex HMAC-SHA256 of the raw body with RAZORPAY_WEBHOOK_SECRET): 400 `invalid_signature` otherwise. Idempotent by `X-Razorpay-Event-Id`: a repeated event answers 200 `duplicate` and changes nothing. A subscription becoming active sets the developer's plan (and quotas) at once; halted or cancelled falls back to the default plan. 404 `billing_disabled` when Razorpay is not configured.
     */
    post: {
      parameters: {
        query?: never;
        header: {
          'x-razorpay-event-id'?: string;
          /** @description hex HMAC-SHA256 of the raw body */
          'x-razorpay-signature': string;
        };
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['RazorpayWebhookEvent'];
        };
      };
      responses: {
        /** @description Applied, ignored or already seen */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['BillingWebhookAck'];
          };
        };
        /** @description Business rule violated or malformed body */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Body too large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/billing/subscription': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your plan, subscription and invoices */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Billing state */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['BillingCurrent'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/dashboard/overview': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The tenant at a glance: users, connections, the last 24 h's syncs and webhooks, photo quota */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Overview */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['DashboardOverview'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/data-exports/{token}/download': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Download an export ZIP by its link (single use, time-bound, no credentials)
     * @description The token is signed and names no export, user or developer; it works once, until its expiry. A used, expired or made-up token is 404.
     */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description The token of a download_url */
          token: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The ZIP */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/zip': string;
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/developer/api-keys': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List API keys (prefixes only) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Keys */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ApiKey'][];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    /** Create an API key; the full key is returned once */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: {
        content: {
          'application/json': components['schemas']['CreateApiKeyRequest'];
        };
      };
      responses: {
        /** @description Created */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ApiKeyCreated'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Unsupported media type */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/developer/api-keys/{key_id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Delete a key permanently */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          key_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Deleted */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/developer/api-keys/{key_id}/rotate': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Rotate a key: the old key stops working and a new one with the same name is returned once */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          key_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description New key */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ApiKeyCreated'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/developer/data-retention': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your data-retention policy (default: keep everything) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Policy */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['RetentionPolicy'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    /**
     * Replace your data-retention policy
     * @description Takes effect at the next retention pass. Shortening a limit deletes data for good; lengthening one does not bring deleted data back. Recorded in the audit log (`retention.updated`, with the old and new values).
     */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['RetentionPolicyInput'];
        };
      };
      responses: {
        /** @description Saved */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['RetentionPolicy'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Unsupported media type */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/developer/invites': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Invite someone to register, whatever REGISTRATION_MODE says (one account, for this email) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['CreateInviteRequest'];
        };
      };
      responses: {
        /** @description Invite */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Invite'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Body too large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Unsupported media type */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Rate limited; see Retry-After */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/developer/providers/{provider}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The vendor app your users connect through (yours, else the instance default); secrets are never shown */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          provider: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description App */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ProviderApp'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    /**
     * Register or replace your own app with a vendor (Settings → Providers)
     * @description A secret left out keeps the stored one; `null` clears it. Scopes left out (or null) are the vendor's defaults. Changing client_id needs its client_secret too. Your app wins over the instance default.
     */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          provider: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['PutProviderAppRequest'];
        };
      };
      responses: {
        /** @description Replaced */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ProviderApp'];
          };
        };
        /** @description Created */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ProviderApp'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Unsupported media type */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    post?: never;
    /** Remove your own app with a vendor (the instance default, if any, applies again) */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          provider: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Removed */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/developer/source-priority': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your default source-priority rules for all your users' daily summaries */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Rules */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['SourcePriority'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    /** Replace your default source-priority rules */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['SourcePriority'];
        };
      };
      responses: {
        /** @description Saved */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['SourcePriority'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Unsupported media type */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/mcp': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Model Context Protocol endpoint (streamable HTTP, stateless): tools over your users and their data
     * @description For AI agents: `initialize`, `tools/list` and `tools/call` as JSON-RPC 2.0 over POST (responses as JSON). Authorised by an API key, a dashboard session, or a user-scoped SDK token (POST /users/{user_id}/token: its tools reach only that user); every tool runs the matching REST route as the caller, so tenant scoping is the same. Tools: list_users, get_daily_summaries, get_timeseries, list_workouts, list_sleep, get_scores, get_energy_balance, list_nutrition_logs, get_connections, trigger_sync.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['McpJsonRpcMessage'];
        };
      };
      responses: {
        /** @description JSON-RPC response(s) */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': Record<string, never>;
          };
        };
        /** @description Notification accepted */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Business rule violated or malformed body */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Body too large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Unsupported media type */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Rate limited; see Retry-After */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/nutrition/log': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List meal logs, newest meal first (discarded logs hidden) */
    get: {
      parameters: {
        query: {
          /** @description next_cursor from the previous page */
          cursor?: string;
          /** @description First local day (the user's time zone) */
          date_from?: string;
          /** @description Last local day, inclusive */
          date_to?: string;
          limit?: number;
          meal_type?: 'breakfast' | 'lunch' | 'dinner' | 'snack' | 'other';
          /** @description The user the log belongs to; an SDK token may only name its own user, another developer's user is a 404. */
          user_id: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description A page of logs */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['NutritionLogList'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/nutrition/log/{log_id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get one meal log with its items */
    get: {
      parameters: {
        query: {
          /** @description The user the log belongs to; an SDK token may only name its own user, another developer's user is a 404. */
          user_id: string;
        };
        header?: never;
        path: {
          log_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The log */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['NutritionLog'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    /** Soft-delete a log (status discarded; hidden from lists, still counted in the photo quota) */
    delete: {
      parameters: {
        query: {
          /** @description The user the log belongs to; an SDK token may only name its own user, another developer's user is a 404. */
          user_id: string;
        };
        header?: never;
        path: {
          log_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Deleted */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/nutrition/log/{log_id}/image': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A log's meal photo (as stored: EXIF stripped), for showing it next to the log
     * @description 404 with code `no_image` for a manual log, `image_deleted` once the meal-photo retention removed it.
     */
    get: {
      parameters: {
        query: {
          /** @description The user the log belongs to; an SDK token may only name its own user, another developer's user is a 404. */
          user_id: string;
        };
        header?: never;
        path: {
          log_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The photo */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'image/*': string;
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/nutrition/log/{log_id}/items/{item_id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /** Correct an item (dish, grams, macros): is_corrected, one nutrition.log.corrected per changed field */
    patch: {
      parameters: {
        query: {
          /** @description The user the log belongs to; an SDK token may only name its own user, another developer's user is a 404. */
          user_id: string;
        };
        header?: never;
        path: {
          item_id: string;
          log_id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['NutritionItemCorrection'];
        };
      };
      responses: {
        /** @description The log after the correction */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['NutritionLog'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Duplicate resource */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Body too large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Unsupported media type */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    trace?: never;
  };
  '/api/v1/nutrition/log/image': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Upload a meal photo for recognition (202; counts against the daily photo quota)
     * @description Multipart upload of a JPEG, PNG or HEIC photo (at most 5 MB, judged by its content, not its name) in the field `file`, with optional `meal_type`, `detected_at` and `note`. Location metadata is removed before the photo is stored. Answers 202 with the log in status `pending` at once; recognition runs in the background (`nutrition.log.recognized` when done). Over the plan's daily photo quota (per developer, resets at 00:00 UTC): 429 with a `detail` object (`code: quota_exceeded`, `limit`, `used`, `plan`, `resource`).
     */
    post: {
      parameters: {
        query: {
          /** @description The user the log belongs to; an SDK token may only name its own user, another developer's user is a 404. */
          user_id: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'multipart/form-data': {
            /** Format: date-time */
            detected_at?: string;
            /** Format: binary */
            file: string;
            /** @enum {string} */
            meal_type?: 'breakfast' | 'lunch' | 'dinner' | 'snack' | 'other';
            note?: string;
          };
        };
      };
      responses: {
        /** @description Accepted, awaiting recognition */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['NutritionImageAccepted'];
          };
        };
        /** @description Business rule violated or malformed body */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Body too large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Unsupported media type */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Daily photo quota reached (or rate limited: then `detail` is a string) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['NutritionQuotaExceeded'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/nutrition/log/manual': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Log a meal by hand (status manual; never counts against the photo quota)
     * @description Items carry their macros; an item sent with only `dish_name` (and `quantity_grams`) is looked up in the food database and its macros scaled to the grams (the dish’s typical portion when no grams are given). A dish the database does not know, sent without macros, is a 422.
     */
    post: {
      parameters: {
        query: {
          /** @description The user the log belongs to; an SDK token may only name its own user, another developer's user is a 404. */
          user_id: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['NutritionManualLog'];
        };
      };
      responses: {
        /** @description The stored log */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['NutritionLog'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Body too large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Unsupported media type */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/nutrition/summary': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Daily macro totals of recognized and manual logs, per local day of the user (92-day cap) */
    get: {
      parameters: {
        query: {
          date_from: string;
          date_to: string;
          /** @description The user the log belongs to; an SDK token may only name its own user, another developer's user is a 404. */
          user_id: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Days */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['NutritionSummary'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/providers': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The provider catalogue, with whether your users can connect each one (is_configured)
     * @description OAuth vendors are configured by your own app (PUT /api/v1/developer/providers/{provider}) or by the instance's default app from the environment. `callback_url` and `webhook_url` are what to register in the vendor's developer portal; `budget` is how much of the app's vendor request budget is spent.
     */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Catalogue */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ProviderCatalogue'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/providers/{provider}/authorize': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Start connecting a user: the vendor's consent URL
     * @description Send the user's browser to `authorization_url`. After consent the vendor returns to WearLink's callback, which stores the connection, starts the historical sync and redirects to `redirect_uri` with `status=success&provider&connection_id` or `status=error&error&detail`. The state is single-use and expires after OAUTH_STATE_TTL_SECONDS.
     */
    get: {
      parameters: {
        query: {
          /** @description Where the user returns after consent (http or https), with the outcome in its query */
          redirect_uri: string;
          user_id: string;
        };
        header?: never;
        path: {
          provider: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Consent URL */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AuthorizationStart'];
          };
        };
        /** @description Business rule violated or malformed body */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/providers/{provider}/callback': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * OAuth callback
     * @description Where the vendor returns the user's browser after consent. Redirects (302) to the developer's `redirect_uri` with the outcome; a missing, forged or already used `state` is a 400 (`state_missing`, `state_unknown`, `state_used`), since no redirect target can be trusted for it.
     */
    get: {
      parameters: {
        query?: {
          code?: string;
          error?: string;
          error_description?: string;
          scope?: string;
          state?: string;
        };
        header?: never;
        path: {
          provider: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description To the developer's redirect_uri */
        302: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Business rule violated or malformed body */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/providers/{provider}/users/{user_id}/backfill/{type_name}/retry': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Ask the vendor again for one type's failed and timed-out windows (same bounds), as a new run */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          provider: string;
          type_name: string;
          user_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Retry queued */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['BackfillRunAnswer'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Duplicate resource */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/providers/{provider}/users/{user_id}/backfill/cancel': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Stop the running backfill: it ends cancelled, windows not yet received are cancelled, data is kept */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          provider: string;
          user_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Cancelled (or cancelling at its next checkpoint) */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['BackfillRunAnswer'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Duplicate resource */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/providers/{provider}/users/{user_id}/backfill/status': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A user's vendor backfill per type: windows asked, received, pending, failed */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          provider: string;
          user_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Per-type progress */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['BackfillStatus'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/providers/{provider}/users/{user_id}/sync': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Pull the latest data window (push vendors such as Garmin: 409 `push_only`) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          provider: string;
          user_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Already running: that job */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['SyncTriggered'];
          };
        };
        /** @description Queued */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['SyncTriggered'];
          };
        };
        /** @description Business rule violated or malformed body */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Duplicate resource */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Unsupported media type */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/providers/{provider}/users/{user_id}/sync/historical': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Pull the full history the provider offers (push vendors such as Garmin: a vendor backfill, see …/backfill/status) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          provider: string;
          user_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Already running: that job */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['SyncTriggered'];
          };
        };
        /** @description Queued */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['SyncTriggered'];
          };
        };
        /** @description Business rule violated or malformed body */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Duplicate resource */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Unsupported media type */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/sdk/users/{user_id}/sync': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Push a batch of Apple Health / Samsung Health / Health Connect records, workouts and sleep
     * @description Accepts the batch (202) and processes it in the background as a sync run with source "sdk". Entries are validated one by one: invalid ones are listed in `rejected` (with their index) and the rest are stored. Re-sending a batch stores nothing twice.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          user_id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['SdkSyncRequest'];
        };
      };
      responses: {
        /** @description Queued */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['IngestAccepted'];
          };
        };
        /** @description Business rule violated or malformed body */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Body too large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Unsupported media type */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/sns/notification': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * S3 upload notifications (AWS SNS or MinIO webhook)
     * @description Takes an SNS message (`Type: Notification` whose `Message` is an S3 event, or `SubscriptionConfirmation`, confirmed only for https://sns.<S3_REGION>.amazonaws.com) or a bare S3 event (`{Records: [...]}`, as MinIO posts it). No credentials: each named key must be a pending upload of this server, and the object is checked in the bucket, before its import starts (once per key, however often it is announced). Any content type; SNS sends text/plain.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Handled */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['SnsNotificationAck'];
          };
        };
        /** @description Business rule violated or malformed body */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/support/contact': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Contact the operator: files a support ticket (public; CONTACT_FORM_PER_HOUR per address) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['SupportContact'];
        };
      };
      responses: {
        /** @description The ticket was filed */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['SupportContactReceipt'];
          };
        };
        /** @description Body too large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Unsupported media type */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Rate limited; see Retry-After */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/sync': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Start a sync of one connection (one active job per connection and mode) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['SyncRequest'];
        };
      };
      responses: {
        /** @description Already running: that job */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['SyncTriggered'];
          };
        };
        /** @description Queued */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['SyncTriggered'];
          };
        };
        /** @description Business rule violated or malformed body */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Duplicate resource */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Unsupported media type */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/sync/cancel': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Cancel a job: a queued one at once, a running one at its next checkpoint (data saved so far is kept) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            job_id: string;
          };
        };
      };
      responses: {
        /** @description Cancelled, or cancelling */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              cancelled_at: string | null;
              job_id: string;
              /** @enum {string} */
              status: 'cancelled' | 'cancelling' | 'completed' | 'failed';
            };
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Unsupported media type */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/sync/history': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A connection's past sync jobs, newest first */
    get: {
      parameters: {
        query: {
          connection_id: string;
          limit?: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description History */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              history: {
                completed_at: string | null;
                /** Format: uuid */
                connection_id: string | null;
                duration_seconds: number | null;
                error: components['schemas']['SyncError'];
                items_synced: number | null;
                job_id: string;
                mode: string | null;
                started_at: string | null;
                status: string;
              }[];
            };
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/sync/jobs/{job_id}/subscribe': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A job's progress as Server-Sent Events (spec 002); closes when the job ends */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          job_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description text/event-stream */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/event-stream': string;
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/sync/runs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Recent sync runs of all your users, newest first (filters: status, provider, user_id)
     * @description The tenant-wide view of GET /users/{user_id}/sync/runs, for dashboards: one row per run, kept beyond the 24 h event log. Page with `next_cursor`.
     */
    get: {
      parameters: {
        query?: {
          /** @description next_cursor from the previous page */
          cursor?: string;
          limit?: number;
          provider?: string;
          status?: 'in_progress' | 'success' | 'partial' | 'failed' | 'cancelled';
          user_id?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description A page of runs */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['SyncRunPage'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/sync/schedules': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Sync schedules of your active connections */
    get: {
      parameters: {
        query?: {
          user_id?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Schedules */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              schedules: components['schemas']['SyncSchedule'][];
            };
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    /** Set a connection's cron schedule (UTC) or enable/disable its scheduled syncs */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** Format: uuid */
            connection_id: string;
            enabled?: boolean;
            schedule?: string | null;
          };
        };
      };
      responses: {
        /** @description Saved */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['SyncSchedule'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Unsupported media type */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/sync/status': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A job's progress, stage and estimated completion (by job_id, or a connection's latest job) */
    get: {
      parameters: {
        query?: {
          connection_id?: string;
          job_id?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Status */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['SyncJobStatus'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/team/invitations': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Open invitations (not accepted, revoked or expired), newest first */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Invitations */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['TeamInvitationList'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    /**
     * Invite someone into the team with a role (owners and admins)
     * @description The invitation link is mailed when the instance has SMTP configured (`emailed: true`); otherwise (or when the mail server refuses it) it is returned once as `invite_url`, for the inviter to hand over. The link works once, for 72 hours. An email that already has an account is a 409.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['CreateTeamInvitationRequest'];
        };
      };
      responses: {
        /** @description Invitation created */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['TeamInvitationCreated'];
          };
        };
        /** @description Business rule violated or malformed body */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Duplicate resource */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Unsupported media type */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/team/invitations/{invitation_id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Revoke an open invitation (owners and admins) */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          invitation_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Revoked */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/team/invitations/accept': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Accept an invitation: creates your account in the team and signs you in
     * @description The account's email is the invitation's. Returns a dashboard session (as POST /auth/login). A used, revoked, expired or unknown token is 403 `invite_invalid`; an email that meanwhile got an account is a 409.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['AcceptTeamInvitationRequest'];
        };
      };
      responses: {
        /** @description Session token */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AccessToken'];
          };
        };
        /** @description Business rule violated or malformed body */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Duplicate resource */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Body too large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Unsupported media type */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Rate limited; see Retry-After */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/team/invitations/lookup': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * What an invitation link is for (public: the token is the credential)
     * @description A used, revoked, expired or unknown token is 403 `invite_invalid`.
     */
    get: {
      parameters: {
        query: {
          /** @description The token of an invitation link */
          token: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The invitation */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['TeamInvitationLookup'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/team/members': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The team: its owner first, then its members */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Members */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['TeamMemberList'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/team/members/{member_id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Remove a member (owners and admins); their sessions end at once
     * @description The owner cannot be removed (403 `owner_protected`).
     */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          member_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Removed */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    /**
     * Change a member's role (owners and admins)
     * @description Takes effect on the member's next request. The owner's role cannot change (403 `owner_protected`).
     */
    patch: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          member_id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['UpdateTeamMemberRequest'];
        };
      };
      responses: {
        /** @description The member */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['TeamMember'];
          };
        };
        /** @description Business rule violated or malformed body */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Unsupported media type */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    trace?: never;
  };
  '/api/v1/users': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List users, newest first by default */
    get: {
      parameters: {
        query?: {
          /** @description next_cursor from the previous page */
          cursor?: string;
          limit?: number;
          page?: number;
          /** @description Search: part of the name (first, last or "first last"), email or external_id, case-insensitive (same as search) */
          q?: string;
          search?: string;
          sort_by?: 'created_at' | 'updated_at' | 'email' | 'first_name' | 'last_name';
          sort_order?: 'asc' | 'desc';
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description A page of users */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['UserList'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    /** Create a user */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['CreateUserRequest'];
        };
      };
      responses: {
        /** @description Created */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['User'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Duplicate resource */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Body too large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Unsupported media type */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{user_id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a user */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          user_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The user */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['User'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    /**
     * Delete a user and all their data
     * @description The user is gone from the API at once (404 everywhere, left out of lists, no SDK tokens) and nothing more is stored for them: running syncs and imports stop, connections are revoked at the vendor, and every row is wiped by a background job in batches (resumed after a crash). The 204 answers when the deletion is committed to; the wipe follows within moments.
     */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          user_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Deleted */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    /** Update name, email or external_id */
    patch: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          user_id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['UpdateUserRequest'];
        };
      };
      responses: {
        /** @description Updated user */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['User'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Duplicate resource */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Body too large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Unsupported media type */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    trace?: never;
  };
  '/api/v1/users/{user_id}/connect-link': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * A hosted page where the user connects their providers
     * @description A link (valid for CONNECT_LINK_TTL_SECONDS) to a WearLink page listing your configured providers with the user's connection state and a Connect button each: connect a user without building a UI.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          user_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Link */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ConnectLink'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{user_id}/connections': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The user's provider connections */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          user_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Connections */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Connection'][];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    /** Connect a provider without OAuth: the built-in sandbox, whose syncs pull synthetic data through the real pipeline */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          user_id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['CreateConnectionRequest'];
        };
      };
      responses: {
        /** @description Connected */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Connection'];
          };
        };
        /** @description Business rule violated or malformed body */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Duplicate resource */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Unsupported media type */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description A provider WearLink cannot connect yet */
        501: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{user_id}/connections/{provider}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Disconnect a provider: revoked at the vendor, credentials dropped, syncs and webhooks stopped, ingested data kept */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          provider: string;
          user_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Revoked */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{user_id}/connections/{provider}/data': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Delete one provider's data of a user
     * @description Deletes, in the background, every sample, hourly aggregate, workout, sleep record, score and raw payload the provider's sources stored for this user; unfinished syncs of that provider are cancelled first. The connection is left as it is (disconnect it with DELETE /users/{user_id}/connections/{provider}, or it keeps syncing new data).
     */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          provider: string;
          user_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Queued: the data goes within moments */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ProviderDataDeletion'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{user_id}/energy_balance': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Daily calories in vs calories out (92-day cap) */
    get: {
      parameters: {
        query: {
          date_from: string;
          date_to: string;
        };
        header?: never;
        path: {
          user_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Days */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['EnergyBalance'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{user_id}/events/sleep': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Sleep sessions and naps: stages, efficiency, interruptions, average vitals during the session
     * @description Items whose start time falls on start_date … end_date (UTC days), oldest first. Keyset pages: they neither skip nor repeat while new data arrives; total_count counts the whole range at the time of each request. Average heart rate, HRV (SDNN), respiratory rate and SpO2 are computed from the samples of any source that start within the session.
     */
    get: {
      parameters: {
        query: {
          /** @description next_cursor from the previous page */
          cursor?: string;
          /** @description Last UTC day (inclusive), by start time */
          end_date: string;
          limit?: number;
          /** @description First UTC day (inclusive), by start time */
          start_date: string;
        };
        header?: never;
        path: {
          user_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description A page of sleep sessions */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['SleepEventPage'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{user_id}/events/workouts': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Workout sessions: type, duration, distance, energy, heart rate, pace, elevation, source
     * @description Items whose start time falls on start_date … end_date (UTC days), oldest first. Keyset pages: they neither skip nor repeat while new data arrives; total_count counts the whole range at the time of each request.
     */
    get: {
      parameters: {
        query: {
          /** @description next_cursor from the previous page */
          cursor?: string;
          /** @description Last UTC day (inclusive), by start time */
          end_date: string;
          limit?: number;
          /** @description First UTC day (inclusive), by start time */
          start_date: string;
        };
        header?: never;
        path: {
          user_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description A page of workouts */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['WorkoutEventPage'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{user_id}/events/workouts/{workout_id}/route': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A workout's GPS route: time, latitude, longitude, altitude, in time order
     * @description The points of the route as stored (Apple Health imports, SDK pushes with a route). A route longer than max_points is downsampled evenly (see `downsampled`); `total_points` says how many are stored. A workout without a route answers an empty list.
     */
    get: {
      parameters: {
        query?: {
          /** @description At most this many points (5000 by default, up to 20000); a longer route is downsampled */
          max_points?: number;
        };
        header?: never;
        path: {
          user_id: string;
          workout_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The route */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['WorkoutRoute'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{user_id}/export': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Export all of a user's data as a ZIP in the response (small accounts)
     * @description The same ZIP as POST …/export/async, answered in-band. An export larger than EXPORT_INLINE_MAX_BYTES is refused with 413 (code `export_too_large`): use POST /api/v1/users/{user_id}/export/async.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          user_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The ZIP */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/zip': string;
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Body too large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{user_id}/export/async': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Export all of a user's data (GDPR/DPDP access and portability) as a ZIP, built by a job
     * @description Answers 202 at once. The ZIP holds one NDJSON file per data type (samples per series type, workouts, their GPS route points, sleep sessions with stages, daily activity and sleep summaries, health scores, nutrition where present, connections without secrets, sync runs) and manifest.json (format version, generation time, the user, time range, and per file its row count, SHA-256 and size). Progress is a sync run (provider "wearlink", source "export") on the user's sync stream; when it is ready an `export.completed` webhook carries the download link, and GET …/exports/{export_id} shows it.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          user_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Queued */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['DataExportQueued'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{user_id}/exports': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A user's recent exports (the last 20), newest first, as GET …/exports/{export_id} shows each */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          user_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Exports */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              data: components['schemas']['DataExport'][];
            };
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{user_id}/exports/{export_id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** An export: its status and, once ready, its single-use download link */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          export_id: string;
          user_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The export */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['DataExport'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{user_id}/health-scores': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Providers' scores (sleep, recovery, readiness, strain…) with each provider's native range
     * @description Newest day first, then by category. Scores are as the provider sent them; range_min/range_max give their scale. Offset pagination.
     */
    get: {
      parameters: {
        query?: {
          category?:
            | 'sleep'
            | 'recovery'
            | 'readiness'
            | 'activity'
            | 'stress'
            | 'resilience'
            | 'body_battery'
            | 'strain'
            | 'vo2max'
            | 'fitness_age';
          /** @description Last day (inclusive) */
          end_date?: string;
          limit?: number;
          offset?: number | null;
          provider?: string;
          /** @description First day (inclusive) */
          start_date?: string;
        };
        header?: never;
        path: {
          user_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description A page of scores */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['HealthScorePage'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{user_id}/import/apple/xml/direct': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Upload an Apple Health export (export.zip or export.xml, up to 50 MB)
     * @description Stores the file and queues its import as a sync run with source "xml_import" (202). Progress (bytes and records) goes out on the sync event stream; the run result lists counts per type, kept-raw types and rejected elements. Importing the same export again stores nothing twice.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          user_id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'multipart/form-data': {
            /** Format: binary */
            file: string;
          };
        };
      };
      responses: {
        /** @description Queued */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AppleImportQueued'];
          };
        };
        /** @description Business rule violated or malformed body */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Body too large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{user_id}/import/apple/xml/s3': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Get an upload URL for a large Apple Health export
     * @description Returns a presigned PUT URL. With S3 configured it points at the bucket (up to 5 GiB): PUT the file there, and the import starts when the bucket notification reaches POST /api/v1/sns/notification, or when you call POST …/import/apple/xml/s3/complete with the key. Without S3 it points at this server (a signed, expiring local upload endpoint with the same flow); the import starts when the upload completes and the PUT answers 202 with the job id.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          user_id: string;
        };
        cookie?: never;
      };
      requestBody?: {
        content: {
          'application/json': components['schemas']['AppleImportPresignRequest'];
        };
      };
      responses: {
        /** @description Upload URL */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AppleImportPresigned'];
          };
        };
        /** @description Business rule violated or malformed body */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{user_id}/import/apple/xml/s3/complete': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Start the import of a finished S3 upload
     * @description For buckets without event notifications: after the PUT to the presigned URL has succeeded, send its key. The object is checked in the bucket (it exists, within max_bytes) and its import queued as a sync run (202). Starting an upload twice, here or by notification, is a 409.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          user_id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['AppleImportComplete'];
        };
      };
      responses: {
        /** @description Queued */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AppleImportQueued'];
          };
        };
        /** @description Business rule violated or malformed body */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Duplicate resource */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Body too large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{user_id}/source-priority': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** This user's rules, and the resulting order of their data sources */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          user_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Rules and effective order */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['UserSourcePriority'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    /** Replace this user's rules (they come before yours) */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          user_id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['SourcePriority'];
        };
      };
      responses: {
        /** @description Saved */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['UserSourcePriority'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Unsupported media type */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{user_id}/summaries/activity': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Daily activity per local day: steps, distance, floors, calories, active minutes, heart rate
     * @description Cumulative metrics take each hour from the best-ranked source that recorded it (see source priority), so two devices never double count. Days without data are omitted.
     */
    get: {
      parameters: {
        query: {
          end_date: string;
          start_date: string;
        };
        header?: never;
        path: {
          user_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Days */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              data: components['schemas']['ActivitySummary'][];
              pagination: {
                /** @enum {boolean} */
                has_more: false;
                next_cursor: null;
                total_count: number;
              };
            };
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{user_id}/summaries/body': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Body metrics: the latest value of each, and 7-day averages */
    get: {
      parameters: {
        query?: {
          /** @description Defaults to now */
          as_of?: string;
        };
        header?: never;
        path: {
          user_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Body summary */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['BodySummary'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{user_id}/summaries/data': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** How much is stored for a user: sample counts per series type and provider, sessions per provider */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          user_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Counts */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['DataSummary'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{user_id}/summaries/sleep': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Daily sleep per local day (the day you wake up): stages, efficiency, interruptions, naps */
    get: {
      parameters: {
        query: {
          end_date: string;
          start_date: string;
        };
        header?: never;
        path: {
          user_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Days */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              data: components['schemas']['SleepSummary'][];
              pagination: {
                /** @enum {boolean} */
                has_more: false;
                next_cursor: null;
                total_count: number;
              };
            };
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{user_id}/sync/recent': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The last N sync events of the past 24 h, newest first */
    get: {
      parameters: {
        query?: {
          limit?: number;
        };
        header?: never;
        path: {
          user_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Events */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['SyncStatusEvent'][];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{user_id}/sync/runs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Latest state of each recent sync run, newest first (kept beyond the 24 h event log) */
    get: {
      parameters: {
        query?: {
          limit?: number;
        };
        header?: never;
        path: {
          user_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Runs */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['SyncRun'][];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{user_id}/sync/runs/{run_id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One sync run: stage, status, counts and (when finished) its result, kept beyond the 24 h event log */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          run_id: string;
          user_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The run */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['SyncRun'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{user_id}/sync/stream': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Live sync events (SSE): `: connected`, the last N events, then every event as it happens
     * @description Each event is `event: sync.status` with an `id:`; reconnect with `Last-Event-ID` to receive exactly the events after it (no gap, no duplicate). `: heartbeat` every 15 s. Auth: API key header, Bearer JWT, or the JWT in `access_token` (browser EventSource cannot send headers).
     */
    get: {
      parameters: {
        query?: {
          access_token?: string;
          replay?: number;
        };
        header?: never;
        path: {
          user_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description text/event-stream */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/event-stream': string;
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{user_id}/timeseries': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Samples, raw or aggregated per 1min/5min/15min/1hour bucket (sum or avg/min/max per type), per source
     * @description Aggregation happens in SQL: cumulative types (steps, energy, distance…) are summed, instantaneous ones (heart rate, SpO2…) averaged with min and max. A sample belongs to the bucket of its start time. Pages are keyset pages: they neither skip nor repeat while new data arrives; total_count is counted when the first page is requested.
     */
    get: {
      parameters: {
        query: {
          cursor?: string;
          end_time: string;
          limit?: number;
          resolution?: 'raw' | '1min' | '5min' | '15min' | '1hour';
          start_time: string;
          /** @description Comma-separated series types or groups (heart_rate, spo2, calories, distance, blood_pressure, …); all when omitted */
          types?: string;
        };
        header?: never;
        path: {
          user_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description A page of points */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['TimeseriesPage'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{user_id}/token': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Issue a short-lived SDK token that can act for this user only (on /sdk routes) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          user_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description SDK token */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AccessToken'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{user_id}/wearmetrics': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A user's samples in the WearMetrics shape (spec 003): one object per timestamp and source
     * @description Stable metric keys (hr, hrv_rmssd, hrv_sdnn, steps, calories, distance in km, stress) where a series maps to one, the canonical series name otherwise; RR intervals in rr_ms. Keyset pages of whole objects: an object is never split across pages, and pages neither skip nor repeat while new data arrives.
     */
    get: {
      parameters: {
        query: {
          /** @description next_cursor from the previous page */
          cursor?: string;
          end_time: string;
          limit?: number;
          start_time: string;
        };
        header?: never;
        path: {
          user_id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description A page of WearMetrics objects */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['WearMetricsPage'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    /**
     * Push WearMetrics samples (spec 003)
     * @description Unknown metric keys and sources are accepted and kept raw; `rr_ms` is stored as rr_interval samples within [200, 6000] ms; `meta` is kept with the archived payload.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          user_id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['WearMetricsBatch'];
        };
      };
      responses: {
        /** @description Queued */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['IngestAccepted'];
          };
        };
        /** @description Business rule violated or malformed body */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Body too large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Unsupported media type */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/webhooks/{provider}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Vendor webhook handshake
     * @description The vendor's check of the callback URL: Oura's `verification_token`/`challenge`, Strava's `hub.challenge` (echoed when the verify token is one of an app's), Withings' HEAD probe.
     */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description A provider slug */
          provider: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Handshake answered */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    /**
     * Vendor webhook
     * @description Where a vendor (Garmin, Oura, Fitbit via Google Health, WHOOP, Polar, Strava, Withings) sends its notifications; register this URL with the vendor. Signed vendors are verified against every configured app of the vendor (401 `invalid_signature` / `stale_timestamp` otherwise); Garmin must name a configured app in `garmin-client-id` and Google must echo an app's webhook secret in `Authorization` (401 `unknown_app` / `invalid_secret`). The raw request is stored before the answer and processed as a job: a notification pulls what it names, pushed data (Garmin) is mapped from the stored body, a deauthorization revokes the connection. A repeated delivery is answered 200 `duplicate` and not processed again. Bodies above PROVIDER_WEBHOOK_MAX_BYTES get 413.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description A provider slug */
          provider: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Stored (or already stored) */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['VendorWebhookAck'];
          };
        };
        /** @description Business rule violated or malformed body */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Body too large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/webhooks/endpoints': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List your webhook endpoints */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Endpoints */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              data: components['schemas']['WebhookEndpoint'][];
            };
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    /**
     * Create a webhook endpoint
     * @description URLs that resolve to loopback, private or link-local addresses are refused unless the server runs with WEBHOOK_ALLOW_PRIVATE_URLS=true.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['CreateWebhookEndpointRequest'];
        };
      };
      responses: {
        /** @description Created */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['WebhookEndpoint'];
          };
        };
        /** @description Business rule violated or malformed body */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/webhooks/endpoints/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a webhook endpoint */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Endpoint */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['WebhookEndpoint'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    /** Delete a webhook endpoint (its pending deliveries are dropped) */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Deleted */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    /** Update URL, description, filters, or disable / re-enable */
    patch: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['UpdateWebhookEndpointRequest'];
        };
      };
      responses: {
        /** @description Updated */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['WebhookEndpoint'];
          };
        };
        /** @description Business rule violated or malformed body */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    trace?: never;
  };
  '/api/v1/webhooks/endpoints/{id}/attempts': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Delivery attempts to this endpoint, newest first */
    get: {
      parameters: {
        query?: {
          cursor?: string;
          limit?: number;
          message_id?: string;
        };
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Attempts */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              data: components['schemas']['WebhookAttempt'][];
              pagination: {
                has_more: boolean;
                next_cursor: string | null;
                total_count: number;
              };
            };
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Validation error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/webhooks/endpoints/{id}/secret': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Signing secret for verifying deliveries (Standard Webhooks / Svix) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Secret */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['WebhookEndpointSecret'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Duplicate resource */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/webhooks/endpoints/{id}/secret/rotate': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Rotate the signing secret
     * @description Deliveries carry signatures with both the new and the previous secret until the previous one expires (WEBHOOK_SECRET_OVERLAP_SECONDS, default 24 h).
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The new secret */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['WebhookEndpointSecret'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/webhooks/endpoints/{id}/test': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Send a test event (webhook.test) to this endpoint */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Queued for delivery */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              event_type: string;
              message_id: string;
            };
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/webhooks/event-types': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every event type an endpoint can subscribe to, and the group wildcards */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Event types */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              data: {
                description: string;
                group: string;
                name: string;
              }[];
              groups: string[];
            };
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/health': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Liveness: the process is up */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Alive */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Health'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/ready': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Readiness: the database (and Redis, when configured) answer */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Ready */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Readiness'];
          };
        };
        /** @description A dependency is down */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Readiness'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/providers/{provider}/callback': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * OAuth callback (the URL to register with vendors)
     * @description Where the vendor returns the user's browser after consent. Redirects (302) to the developer's `redirect_uri` with the outcome; a missing, forged or already used `state` is a 400 (`state_missing`, `state_unknown`, `state_used`), since no redirect target can be trusted for it.
     */
    get: {
      parameters: {
        query?: {
          code?: string;
          error?: string;
          error_description?: string;
          scope?: string;
          state?: string;
        };
        header?: never;
        path: {
          provider: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description To the developer's redirect_uri */
        302: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Business rule violated or malformed body */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/webhooks/{provider}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Vendor webhook handshake (alias)
     * @description The vendor's check of the callback URL: Oura's `verification_token`/`challenge`, Strava's `hub.challenge` (echoed when the verify token is one of an app's), Withings' HEAD probe.
     */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description A provider slug */
          provider: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Handshake answered */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Credential not allowed for this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    /**
     * Vendor webhook (alias)
     * @description Where a vendor (Garmin, Oura, Fitbit via Google Health, WHOOP, Polar, Strava, Withings) sends its notifications; register this URL with the vendor. Signed vendors are verified against every configured app of the vendor (401 `invalid_signature` / `stale_timestamp` otherwise); Garmin must name a configured app in `garmin-client-id` and Google must echo an app's webhook secret in `Authorization` (401 `unknown_app` / `invalid_secret`). The raw request is stored before the answer and processed as a job: a notification pulls what it names, pushed data (Garmin) is mapped from the stored body, a deauthorization revokes the connection. A repeated delivery is answered 200 `duplicate` and not processed again. Bodies above PROVIDER_WEBHOOK_MAX_BYTES get 413.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description A provider slug */
          provider: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Stored (or already stored) */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['VendorWebhookAck'];
          };
        };
        /** @description Business rule violated or malformed body */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Missing, invalid, expired or revoked credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Not found (or owned by another developer) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Body too large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    AcceptTeamInvitationRequest: {
      name: string;
      password: string;
      token: string;
    };
    AccessToken: {
      access_token: string;
      expires_in: number;
      /** @enum {string} */
      token_type: 'bearer';
    };
    AccountLocked: {
      /** @enum {string} */
      code: 'account_locked';
      detail: string;
      /** @description When the lock ends (ISO 8601, UTC) */
      locked_until: string;
    };
    ActivitySummary: {
      active_calories_kcal: number | null;
      active_minutes: number | null;
      basal_calories_kcal: number | null;
      date: string;
      distance_meters: number | null;
      floors_climbed: number | null;
      heart_rate: {
        avg_bpm: number | null;
        max_bpm: number | null;
        min_bpm: number | null;
        resting_bpm: number | null;
      };
      /** @description Per metric, the sources the day was built from after the source-priority rule */
      sources: {
        [key: string]: {
          device: string | null;
          provider: string;
        }[];
      };
      steps: number | null;
      total_calories_kcal: number | null;
    };
    AdminAuditPage: {
      data: components['schemas']['AdminAuditRow'][];
      next_cursor: string | null;
    };
    AdminAuditRow: {
      action: string;
      actor: {
        id: string | null;
        type: string;
      };
      created_at: string;
      detail?: unknown;
      developer_email: string | null;
      /**
       * Format: uuid
       * @description The trail (tenant) the row is on
       */
      developer_id: string;
      id: number;
      ip: string | null;
      request_id: string | null;
      seq: number;
      target: {
        id: string;
        type: string;
      } | null;
      user_agent: string | null;
    };
    AdminCogsLine: {
      cost_inr: number;
      cost_usd: number;
      key: string;
      label: string;
      quantity: number;
      /** @description The environment variable that overrides the rate */
      rate_env: string;
      /** @description INR per unit (RAZORPAY_FEE_PCT: percent of INR collected) */
      rate_inr: number;
      unit: string;
    };
    AdminCogsSummary: {
      from: string;
      gross_margin_pct: number | null;
      lines: components['schemas']['AdminCogsLine'][];
      period_months: number;
      revenue_inr: number;
      revenue_usd: number;
      to: string;
      total_inr: number;
      total_usd: number;
      unit_economics: components['schemas']['AdminUnitEconomics'][];
      usd_inr_rate: number;
    };
    AdminDeveloper: {
      created_at: string;
      email: string;
      email_verified_at: string | null;
      failed_login_count: number;
      /** Format: uuid */
      id: string;
      is_root: boolean;
      /** @description Effective: by SUPERUSER_EMAILS or by the flag */
      is_superuser: boolean;
      last_failed_login_at: string | null;
      locked: boolean;
      locked_until: string | null;
      name: string;
      organization: string | null;
      plan: string;
      /** @enum {string} */
      role: 'owner' | 'admin' | 'viewer';
      /** @description Listed in SUPERUSER_EMAILS */
      superuser_by_config: boolean;
      /** @description developers.is_superuser (what the toggle sets) */
      superuser_flag: boolean;
      /**
       * Format: uuid
       * @description Null for a tenant; a team member's tenant
       */
      tenant_id: string | null;
    };
    AdminDeveloperDetail: components['schemas']['AdminDeveloper'] & {
      counts: {
        api_keys: number;
        end_users: number;
      };
      /** @description The last 20 rows this account acted in (as itself, or by its API keys) */
      recent_audit: components['schemas']['AdminAuditRow'][];
      /** @description The tenant's current Razorpay subscription (BillingSubscription), if any */
      subscription?: unknown;
      team_members: {
        created_at: string;
        email: string;
        /** Format: uuid */
        id: string;
        locked: boolean;
        name: string;
        role: string;
      }[];
      /** @description A team member's tenant; null for a tenant */
      tenant: {
        email: string;
        /** Format: uuid */
        id: string;
        name: string;
      } | null;
    };
    AdminDeveloperList: {
      data: components['schemas']['AdminDeveloper'][];
      limit: number;
      offset: number;
      total: number;
    };
    AdminEndUser: {
      created_at: string;
      developer_email: string;
      /** Format: uuid */
      developer_id: string;
      developer_name: string;
      email: string | null;
      external_id: string | null;
      first_name: string | null;
      /** Format: uuid */
      id: string;
      last_name: string | null;
    };
    AdminEndUserDetail: components['schemas']['AdminEndUser'] & {
      connections: {
        created_at: string;
        /** Format: uuid */
        id: string;
        provider: string;
        status: string;
      }[];
      developer_plan: string;
    };
    AdminEndUserList: {
      data: components['schemas']['AdminEndUser'][];
      limit: number;
      offset: number;
      total: number;
    };
    AdminFinanceSummary: {
      active_subscriptions: number;
      arr_inr: number;
      arr_usd: number;
      collected_last_month_inr: number;
      collected_last_month_usd: number;
      collected_this_month_inr: number;
      collected_this_month_usd: number;
      generated_at: string;
      mom_change_pct: number | null;
      month_start: string;
      mrr_inr: number;
      mrr_month_start_inr: number;
      mrr_month_start_usd: number;
      mrr_usd: number;
      refunds_this_month_count: number;
      refunds_this_month_inr: number;
      refunds_this_month_usd: number;
      usd_inr_rate: number;
    };
    AdminInsights: {
      dau: {
        active_developers: number;
        date: string;
      }[];
      financials: {
        arpu_usd: number;
        /** @description Lifetime: activated subscriptions since cancelled, halted or expired */
        churn_rate_pct: number;
        /** @description 100 / churn_rate_pct; 12 with no churn */
        estimated_lifespan_months: number;
        /** @description Tenants that ever activated a subscription, of all tenants */
        free_to_paid_conversion_pct: number;
        /** @description ARPU × estimated_lifespan_months */
        ltv_usd: number;
        mrr_usd: number;
        paying_tenants: number;
      };
      funnel: {
        count: number;
        pct_of_registered: number;
        stage: string;
      }[];
      generated_at: string;
      plan_mix: {
        /** @description Live paying subscriptions to the plan */
        active: number;
        contributing_mrr_usd: number;
        monthly_usd: number;
        pct_of_mrr: number;
        plan: string;
        /** @description Tenants on the plan now (developers.plan) */
        tenants: number;
      }[];
      providers: {
        active_connections: number;
        connections: number;
        provider: string;
        tenants: number;
      }[];
      top_developers: {
        /** Format: uuid */
        developer_id: string;
        email: string;
        events_30d: number;
        plan: string;
        users: number;
      }[];
      usd_inr_rate: number;
      weekly_cohorts: {
        cohort_week: string;
        retained: number[];
        retention_pct: number[];
        size: number;
      }[];
    };
    AdminInvoice: components['schemas']['BillingInvoice'] & {
      developer_email: string;
    };
    AdminInvoicePage: {
      data: components['schemas']['AdminInvoice'][];
      pagination: {
        limit: number;
        offset: number;
        total_count: number;
      };
      usd_inr_rate: number;
    };
    AdminJob: {
      description: string;
      enabled: boolean;
      interval_seconds: number;
      /** @description The last run-now (from the audit trail): when and which admin */
      last_manual_run: {
        at: string;
        by: string | null;
      } | null;
      /** @description Last completion, where recorded */
      last_run_at: string | null;
      name: string;
      runs_on: string;
      schedule: string;
    };
    AdminJobList: {
      data: components['schemas']['AdminJob'][];
    };
    AdminJobRun: {
      finished_at: string;
      name: string;
      result: {
        [key: string]: unknown;
      };
      started_at: string;
    };
    /** @description An amount in INR and in USD at `usd_inr_rate` */
    AdminMoney: {
      inr: number;
      usd: number;
    };
    AdminOverview: {
      generated_at: string;
      plan_distribution: {
        /** @example 12.5 */
        pct: number;
        plan: string;
        tenants: number;
      }[];
      revenue: {
        arr: components['schemas']['AdminMoney'];
        mrr: components['schemas']['AdminMoney'];
        usd_inr_rate: number;
      };
      /** @description New tenants per UTC day, the last 14 days (today last), zero-filled */
      signups: {
        /** @example 2026-04-23 */
        date: string;
        signups: number;
      }[];
      tenants: {
        new_last_7_days: number;
        new_last_30_days: number;
        team_members: number;
        /** @description Developer accounts that are tenants (not team members) */
        total: number;
        /** @description Tenants whose email address is verified */
        verified: number;
      };
      things_to_do: {
        /** @description Accounts with 3 or more failed logins in the last hour */
        failed_login_bursts: {
          developer_id: string;
          email: string | null;
          failures: number;
          last_at: string;
        }[];
        /** @description Accounts locked now (tenants and members) */
        locked_developers: number;
        open_support_tickets: number;
        pending_nutrition_reviews: number;
        unverified_accounts: number;
      };
    };
    AdminPlanInput: {
      /** @enum {string} */
      plan: 'hobby' | 'developer' | 'scale' | 'enterprise';
    };
    AdminPlanSet: {
      /** Format: uuid */
      developer_id: string;
      plan: string;
      previous_plan: string;
    };
    AdminSubscription: components['schemas']['BillingSubscription'] & {
      developer_email: string;
    };
    AdminSubscriptionPage: {
      data: components['schemas']['AdminSubscription'][];
      pagination: {
        limit: number;
        offset: number;
        total_count: number;
      };
      usd_inr_rate: number;
    };
    AdminSuperuserRequest: {
      is_superuser: boolean;
    };
    AdminSystemHealth: {
      blob_store: {
        error?: string;
        kind: string;
        latency_ms: number;
        ok: boolean;
      };
      checked_at: string;
      database: {
        /** @enum {string} */
        dialect: 'postgres' | 'pglite';
        size_bytes: number | null;
        tables: {
          rows_estimate: number;
          table: string;
          total_bytes: number;
        }[];
      };
      queues: {
        active: number;
        completed: number;
        failed: number;
        queue: string;
        queued: number;
      }[];
      /** @description `configured: false` without REDIS_URL */
      redis: {
        configured: boolean;
        connected_clients?: number | null;
        error?: string;
        evicted_keys?: number | null;
        keys?: number | null;
        keyspace_hits?: number | null;
        keyspace_misses?: number | null;
        ok?: boolean;
        ops_per_sec?: number | null;
        uptime_seconds?: number | null;
        used_memory_bytes?: number | null;
        used_memory_peak_bytes?: number | null;
        version?: string | null;
      };
    };
    AdminUnitEconomics: {
      daily_photo_quota: number | null;
      images_per_month: number | null;
      margin_inr: number | null;
      margin_pct: number | null;
      margin_usd: number | null;
      /** @description Underpriced at full use (or unbounded): review the price book */
      negative_margin: boolean;
      plan: string;
      price_inr: number;
      price_usd: number;
      unbounded: boolean;
      vision_cost_inr: number | null;
      vision_cost_usd: number | null;
    };
    Announcement: {
      body: string;
      cta_label: string | null;
      cta_url: string | null;
      /** Format: uuid */
      id: string;
      published_at: string;
      /** @enum {string} */
      severity: 'info' | 'warning' | 'critical';
      title: string;
    } | null;
    AnnouncementPublish: {
      body: string;
      cta_label?: string;
      /** Format: uri */
      cta_url?: string;
      /** @enum {string} */
      severity: 'info' | 'warning' | 'critical';
      title: string;
    };
    AnnouncementRecord: components['schemas']['Announcement'] & {
      active: boolean;
      deactivated_at: string | null;
      /** Format: uuid */
      published_by: string | null;
      published_by_email: string | null;
    };
    ApiKey: {
      created_at: string;
      /** Format: uuid */
      id: string;
      last_used_at: string | null;
      name: string;
      /** @description First characters of the key, to tell keys apart. */
      prefix: string;
    };
    ApiKeyCreated: {
      created_at: string;
      /** Format: uuid */
      id: string;
      /** @description The full key. Shown once: store it now. */
      key: string;
      name: string;
      prefix: string;
    };
    AppleImportComplete: {
      /** @description The `key` the upload URL was issued with */
      key: string;
    };
    AppleImportPresigned: {
      expires_at: string;
      key: string;
      max_bytes: number;
      /** @enum {string} */
      method: 'PUT';
      presigned_put_url: string;
    };
    AppleImportPresignRequest: {
      expiration_seconds?: number;
      file_size_bytes?: number;
      filename?: string;
    };
    AppleImportQueued: {
      /** @description The sync run id: poll GET /users/{user_id}/sync/runs/{job_id} */
      job_id: string;
      run_id: string;
      /** @enum {string} */
      status: 'queued';
    };
    AuditActionCatalogue: {
      /**
       * @example [
       *       "api_key.created",
       *       "api_key.deleted"
       *     ]
       */
      data: string[];
      /**
       * @example [
       *       "api_key.*",
       *       "nutrition.review.*"
       *     ]
       */
      groups: string[];
    };
    AuditLog: {
      /** @example api_key.created */
      action: string;
      actor: {
        id: string | null;
        /** @example api_key */
        type: string;
      };
      created_at: string;
      /** @description What changed; never a secret */
      detail: {
        [key: string]: unknown;
      };
      /** @description sha256(prev_hash + "\n" + canonical JSON of the row) */
      hash: string;
      /** @description Row id (a bigint, as a string) */
      id: string;
      ip: string | null;
      prev_hash: string;
      request_id: string | null;
      /** @description Position in your trail's hash chain: 1, 2, 3… */
      seq: number;
      target: {
        id: string;
        type: string;
      } | null;
      user_agent: string | null;
    };
    AuditLogPage: {
      data: components['schemas']['AuditLog'][];
      pagination: {
        has_more: boolean;
        next_cursor: string | null;
      };
    };
    AuthorizationStart: {
      /**
       * Format: uri
       * @description The vendor's consent page: send the user's browser here
       */
      authorization_url: string;
      /** @description After this the consent must be started again */
      expires_at: string;
      /** @description Single-use, bound to this developer, user and provider */
      state: string;
    };
    BackfillRunAnswer: {
      run_id: string;
      status: string;
      windows: number;
    };
    BackfillStatus: {
      active_run_id: string | null;
      /** Format: uuid */
      connection_id: string;
      last_run_id: string | null;
      provider: string;
      types: components['schemas']['BackfillTypeStatus'][];
      /** Format: uuid */
      user_id: string;
    };
    BackfillTypeStatus: {
      cancelled: number;
      /** @description Nothing pending, failed or timed out */
      complete: boolean;
      /** @description The vendor had already sent the window (409) */
      duplicate: number;
      failed: number;
      family: string;
      last_run_id: string | null;
      max_window_days: number;
      /** @description Not yet asked, or asked and waiting for the data */
      pending: number;
      received: number;
      /** @description Every window planned or asked for */
      requested_windows: number;
      timed_out: number;
      type: string;
    };
    BillingCheckout: {
      amount_inr: number;
      amount_usd: number;
      plan: string;
      /** @description The public key id Razorpay Checkout is opened with */
      razorpay_key_id: string;
      /** @description Razorpay's hosted page to authorise the subscription */
      short_url: string | null;
      status: string;
      /** @description Razorpay's subscription id (sub_…), for Razorpay Checkout */
      subscription_id: string;
      usd_inr_rate: number;
    };
    BillingCheckoutInput: {
      /**
       * @example developer
       * @enum {string}
       */
      plan: 'developer' | 'scale' | 'enterprise';
    };
    BillingCurrent: {
      billing_enabled: boolean;
      /** @description The newest 50 */
      invoices: components['schemas']['BillingInvoice'][];
      /** @description The plan in force now (its quotas apply): developers.plan */
      plan: string;
      plans: components['schemas']['BillingPlanPrice'][];
      subscription: components['schemas']['BillingSubscription'];
      usd_inr_rate: number;
    };
    BillingInvoice: {
      amount_inr: number;
      amount_usd: number;
      created_at: string;
      /** Format: uuid */
      developer_id: string;
      failure_reason: string | null;
      /** Format: uuid */
      id: string;
      paid_at: string | null;
      plan: string;
      razorpay_invoice_id: string | null;
      razorpay_payment_id: string | null;
      refunded_at: string | null;
      refunded_inr: number;
      refunded_usd: number;
      /** @enum {string} */
      status: 'paid' | 'failed' | 'refunded';
      /** Format: uuid */
      subscription_id: string | null;
    };
    BillingPlanPrice: {
      /** @description null: unlimited */
      daily_photo_quota: number | null;
      monthly_inr: number;
      monthly_usd: number;
      plan: string;
      /** @description Sold through Razorpay on this instance */
      purchasable: boolean;
    };
    BillingSubscription: {
      activated_at: string | null;
      /** @description Per cycle, as Razorpay charges it (INR) */
      amount_inr: number;
      amount_usd: number;
      cancelled_at: string | null;
      created_at: string;
      current_end: string | null;
      current_start: string | null;
      /** Format: uuid */
      developer_id: string;
      /** Format: uuid */
      id: string;
      plan: string;
      razorpay_plan_id: string | null;
      razorpay_subscription_id: string | null;
      status: string;
      updated_at: string;
    } | null;
    BillingWebhookAck: {
      event_id: string;
      /** @enum {string} */
      status: 'applied' | 'duplicate' | 'ignored';
    };
    BodySummary: {
      as_of: string;
      averaged: {
        [key: string]: number | null;
      };
      averaged_period: {
        from: string;
        to: string;
      };
      latest: {
        [key: string]: number | null;
      };
      latest_measured_at: {
        [key: string]: string | null;
      };
      /** Format: uuid */
      user_id: string;
    };
    Connection: {
      connected_at: string;
      /** Format: uuid */
      id: string;
      last_synced_at: string | null;
      next_sync_at: string | null;
      provider: string;
      schedule: string | null;
      schedule_enabled: boolean;
      /**
       * @description `reauth_required`: the vendor refused the stored credentials; connect again through the authorize flow
       * @enum {string}
       */
      status: 'active' | 'revoked' | 'error' | 'reauth_required';
      /** Format: uuid */
      user_id: string;
    };
    ConnectLink: {
      expires_at: string;
      /**
       * Format: uri
       * @description The hosted connect page: give it to the user
       */
      url: string;
    };
    CreateApiKeyRequest: {
      /** @default Default */
      name?: string;
    };
    CreateConnectionRequest: {
      /** @enum {string} */
      provider:
        | 'sandbox'
        | 'garmin'
        | 'oura'
        | 'fitbit'
        | 'whoop'
        | 'polar'
        | 'strava'
        | 'withings'
        | 'apple'
        | 'samsung'
        | 'google'
        | 'ble_hrm';
      /** @description Sandbox only: simulated latency and rate limits */
      settings?: {
        /** @default 150 */
        page_delay_ms?: number;
        rate_limit_at_window?: number;
        /** @default 2 */
        retry_after_seconds?: number;
      };
    };
    CreateInviteRequest: {
      /** Format: email */
      email: string;
      /** @default 72 */
      expires_in_hours?: number;
    };
    CreateTeamInvitationRequest: {
      /** Format: email */
      email: string;
      role: components['schemas']['TeamMemberRole'];
    };
    CreateUserRequest: {
      /** Format: email */
      email?: string | null;
      /** @description Your own identifier for this user; unique within your account */
      external_id?: string | null;
      first_name?: string | null;
      last_name?: string | null;
      /** @description IANA zone for data that arrives without a UTC offset; used to cut the user's local days */
      timezone?: string | null;
    };
    CreateWebhookEndpointRequest: {
      description?: string;
      disabled?: boolean;
      /**
       * @description Event types or group wildcards (`workout.*`, `series.*`, `*`); empty or absent: all events
       * @example [
       *       "workout.created",
       *       "sleep.created",
       *       "series.*"
       *     ]
       */
      filter_types?: string[];
      /** @example https://yourapp.com/hooks/wearlink */
      url: string;
    };
    DashboardOverview: {
      api_keys: {
        total: number;
      };
      connections: {
        by_provider: {
          /**
           * @description Connections by status (active, reauth_required, error, revoked); absent: none
           * @example {
           *       "active": 3,
           *       "reauth_required": 1
           *     }
           */
          by_status: {
            [key: string]: number;
          };
          provider: string;
          total: number;
        }[];
        total: number;
      };
      generated_at: string;
      nutrition: {
        /**
         * @description The UTC day the quota counts
         * @example 2026-12-03
         */
        day: string;
        /** @description Meal photos a day; null: unlimited */
        limit: number | null;
        plan: string;
        resets_at: string;
        used: number;
      };
      sync_runs: {
        /** @description Runs created in the window by outcome (success is `succeeded`; open runs are `queued` until they start, then `running`), plus runs still open from before the window */
        by_outcome: {
          cancelled: number;
          failed: number;
          partial: number;
          queued: number;
          running: number;
          succeeded: number;
        };
        total: number;
      };
      users: {
        created_in_window: number;
        /** @description Users, not counting those being deleted */
        total: number;
      };
      webhooks: {
        /** @description Deliveries of the events of the window, by where each stands now */
        deliveries: {
          delivered: number;
          /** @description Every retry spent */
          failed: number;
          /** @description Not tried yet */
          pending: number;
          /** @description Tried and failed, another attempt is scheduled */
          retrying: number;
          total: number;
        };
        endpoints: {
          disabled: number;
          enabled: number;
          /** @description Enabled, but failing since its last success */
          failing: number;
          total: number;
        };
      };
      /** @description Start of the window of the windowed counts (24 h before generated_at) */
      window_start: string;
    };
    DataExport: {
      completed_at: string | null;
      created_at: string;
      /** @description Single-use, time-bound link to the ZIP (no credentials needed: hand it to the user). Null until ready, after its one download, and after it expires. */
      download_url: string | null;
      downloaded_at: string | null;
      error?: unknown;
      expires_at: string | null;
      /** Format: uuid */
      export_id: string;
      /** @description Per NDJSON file: rows, SHA-256, bytes */
      files:
        | {
            bytes: number;
            count: number;
            name: string;
            sha256: string;
          }[]
        | null;
      format_version: number;
      run_id: string | null;
      size_bytes: number | null;
      /** @enum {string} */
      status: 'queued' | 'running' | 'ready' | 'failed' | 'expired';
      /** Format: uuid */
      user_id: string;
    };
    DataExportQueued: {
      /** Format: uuid */
      export_id: string;
      /** @description The sync run reporting progress (source "export") */
      run_id: string;
      /** @enum {string} */
      status: 'queued';
    };
    DataSummary: {
      health_scores: {
        count: number;
        provider: string;
      }[];
      series: {
        count: number;
        first_timestamp: string;
        last_timestamp: string;
        provider: string;
        series_type: string;
        unit: string;
      }[];
      sleep_sessions: {
        count: number;
        provider: string;
      }[];
      total_samples: number;
      /** Format: uuid */
      user_id: string;
      workouts: {
        count: number;
        provider: string;
      }[];
    };
    Developer: {
      created_at: string;
      email: string;
      /** @description Whether the address was confirmed by the mailed link */
      email_verified: boolean;
      email_verified_at: string | null;
      /** Format: uuid */
      id: string;
      name: string;
      organization: string | null;
      plan: string;
    };
    EmailVerified: {
      email: string;
      email_verified_at: string;
      /** Format: uuid */
      id: string;
    };
    EnergyBalance: {
      days: {
        active_calories_kcal: number | null;
        basal_calories_kcal: number | null;
        calories_burned_kcal: number | null;
        calories_consumed_kcal: number | null;
        /** @enum {string} */
        data_completeness: 'none' | 'nutrition_only' | 'wearable_only' | 'wearable_and_nutrition';
        date: string;
        net_energy_balance_kcal: number | null;
      }[];
      /** Format: uuid */
      user_id: string;
    };
    Error: {
      /** @description A stable reason, on refusals a client must tell apart (e.g. `registration_closed`) */
      code?: string;
      detail:
        | string
        | {
            loc: (string | number)[];
            msg: string;
            type: string;
          }[];
    };
    Health: {
      /** @enum {string} */
      status: 'ok';
    };
    HealthScore: {
      category: string;
      components: {
        [key: string]: unknown;
      };
      /** @example 2026-04-15 */
      date: string;
      /** Format: uuid */
      id: string;
      provider: string;
      range_max: number;
      range_min: number;
      score: number;
    };
    HealthScorePage: {
      data: components['schemas']['HealthScore'][];
      pagination: {
        has_more: boolean;
        total_count: number;
      };
    };
    IngestAccepted: {
      accepted: {
        [key: string]: number;
      };
      kept_raw: {
        [key: string]: number;
      };
      rejected: components['schemas']['RejectedEntry'][];
      rejected_count: number;
      response: string;
      /** @description Poll GET /users/{user_id}/sync/runs/{run_id} for the outcome */
      run_id: string;
      /** @enum {number} */
      status_code: 202;
      /** Format: uuid */
      user_id: string;
    };
    Invite: {
      email: string;
      expires_at: string;
      /** @description Pass as `invite_token` to POST /api/v1/auth/register with this email. */
      invite_token: string;
    };
    LoginForm: {
      password: string;
      /** Format: email */
      username: string;
    };
    /**
     * @example {
     *       "jsonrpc": "2.0",
     *       "id": 1,
     *       "method": "tools/list"
     *     }
     */
    McpJsonRpcMessage:
      | ({
          /** @enum {string} */
          jsonrpc: '2.0';
        } & {
          [key: string]: unknown;
        })
      | ({
          /** @enum {string} */
          jsonrpc: '2.0';
        } & {
          [key: string]: unknown;
        })[];
    Me: components['schemas']['Developer'] & {
      /** @description Whether this account may use the operator's admin portal (/admin) */
      is_superuser: boolean;
      role: components['schemas']['TeamRole'];
      /**
       * Format: uuid
       * @description The tenant this account works in (the owner's id)
       */
      tenant_id: string;
    };
    NutritionImageAccepted: {
      job_id: string;
      /** Format: uuid */
      log_id: string;
      /** @enum {string} */
      status: 'pending';
    };
    NutritionItem: {
      calories_kcal: number | null;
      carbs_g: number | null;
      confidence: number | null;
      dish_name: string;
      fat_g: number | null;
      fiber_g: number | null;
      food_db_id: string | null;
      food_db_source: string | null;
      /** Format: uuid */
      id: string;
      is_corrected: boolean;
      protein_g: number | null;
      quantity_grams: number | null;
      quantity_uncertainty: number | null;
      sodium_mg: number | null;
      sugar_g: number | null;
    };
    /** @description Fields sent replace the stored ones (macros are not rescaled when only grams change). */
    NutritionItemCorrection: {
      calories_kcal?: number;
      carbs_g?: number;
      dish_name?: string;
      fat_g?: number;
      fiber_g?: number;
      protein_g?: number;
      quantity_grams?: number;
      sodium_mg?: number;
      sugar_g?: number;
    };
    NutritionLog: {
      confidence_score: number | null;
      created_at: string;
      detected_at: string;
      failure: {
        code: string;
        message: string;
      } | null;
      has_image: boolean;
      human_reviewed: boolean;
      /** Format: uuid */
      id: string;
      /** @description Empty while the log is pending */
      items: components['schemas']['NutritionItem'][];
      /** @enum {string} */
      meal_type: 'breakfast' | 'lunch' | 'dinner' | 'snack' | 'other';
      note: string | null;
      /** @enum {string} */
      status: 'pending' | 'recognized' | 'manual' | 'failed' | 'discarded';
      total_kcal: number | null;
      updated_at: string;
      /** Format: uuid */
      user_id: string;
      vision_model: string | null;
    };
    NutritionLogList: {
      data: components['schemas']['NutritionLog'][];
      pagination: {
        has_more: boolean;
        next_cursor: string | null;
        total_count: number;
      };
    };
    /** @description Macros as given; an item with no macro at all is looked up in the food database by dish_name, scaled to quantity_grams (or the dish’s typical portion). */
    NutritionManualItem: {
      calories_kcal?: number;
      carbs_g?: number;
      dish_name: string;
      fat_g?: number;
      fiber_g?: number;
      protein_g?: number;
      quantity_grams?: number;
      sodium_mg?: number;
      sugar_g?: number;
    };
    NutritionManualLog: {
      /**
       * Format: date-time
       * @description When the meal was eaten; default now
       */
      detected_at?: string;
      items: components['schemas']['NutritionManualItem'][];
      /**
       * @default other
       * @enum {string}
       */
      meal_type?: 'breakfast' | 'lunch' | 'dinner' | 'snack' | 'other';
      note?: string;
    };
    NutritionQuotaExceeded: {
      detail: {
        /** @enum {string} */
        code: 'quota_exceeded';
        limit: number;
        message: string;
        plan: string;
        /** @enum {string} */
        resource: 'nutrition_image';
        used: number;
      };
    };
    NutritionReviewBulk: {
      /** @enum {string} */
      action: 'approve' | 'reject';
      log_ids: string[];
    };
    NutritionReviewBulkResult: {
      results: {
        detail?: string;
        /** Format: uuid */
        log_id: string;
        /** @enum {string} */
        outcome: 'approved' | 'rejected' | 'not_found' | 'conflict';
      }[];
    };
    NutritionReviewDetail: components['schemas']['NutritionReviewLog'] & {
      exif?: unknown;
      image_bytes: number | null;
      image_content_type: string | null;
      /** @description Works without credentials for 300 seconds; null when the photo is gone (retention) or there is none */
      image_url: string | null;
    };
    NutritionReviewLog: {
      confidence_score: number | null;
      created_at: string;
      detected_at: string;
      /** Format: uuid */
      developer_id: string;
      failure?: unknown;
      human_reviewed: boolean;
      /** Format: uuid */
      id: string;
      items: components['schemas']['NutritionItem'][];
      meal_type: string;
      note: string | null;
      review_state: string | null;
      status: string;
      total_kcal: number | null;
      /** Format: uuid */
      user_id: string;
      verifier_agreed: boolean | null;
      verifier_model: string | null;
      vision_model: string | null;
    };
    NutritionSummary: {
      days: {
        calories_kcal: number;
        carbs_g: number;
        date: string;
        fat_g: number;
        fiber_g: number;
        log_count: number;
        protein_g: number;
        sodium_mg: number;
        sugar_g: number;
      }[];
      /** Format: uuid */
      user_id: string;
    };
    Pagination: {
      has_more: boolean;
      next_cursor: string | null;
      total_count: number;
    };
    ProviderApp: {
      client_id: string;
      client_secret_set: boolean;
      created_at: string | null;
      /** @example oura */
      provider: string;
      /** @description Requested at authorize (the defaults unless you set some) */
      scopes: string[];
      /**
       * @description `developer`: your own app; `instance`: the operator's default from the environment
       * @enum {string}
       */
      source: 'developer' | 'instance';
      updated_at: string | null;
      webhook_secret_set: boolean;
    };
    ProviderCatalogue: {
      data: components['schemas']['ProviderCatalogueEntry'][];
    };
    ProviderCatalogueEntry: {
      /** @enum {string|null} */
      app_source: 'developer' | 'instance' | null;
      /** @description This WearLink build can sync it */
      available: boolean;
      /** @description The app's vendor request budgets and their use */
      budget:
        | {
            limit: number;
            resets_at: string | null;
            used: number;
            window_seconds: number;
          }[]
        | null;
      /** @description Register as the redirect URI in the vendor's portal */
      callback_url: string | null;
      capabilities: {
        pull: boolean;
        webhook_ping: boolean;
        webhook_push: boolean;
      } | null;
      developer_portal: string | null;
      historical_days: number | null;
      /** @description Your users can connect it: SDK and built-in providers always; OAuth vendors once an app with a client id and secret applies */
      is_configured: boolean;
      /** @enum {string} */
      kind: 'oauth' | 'sdk' | 'builtin';
      name: string;
      resources:
        | {
            families: string[];
            historical_days: number;
            name: string;
          }[]
        | null;
      /** @example oura */
      slug: string;
      /** @description Register as the vendor's webhook endpoint */
      webhook_url: string | null;
    };
    ProviderDataDeletion: {
      detail: string;
      provider: string;
      /** @enum {string} */
      status: 'queued';
      /** Format: uuid */
      user_id: string;
    };
    PutProviderAppRequest: {
      /** @example a1b2c3d4-client */
      client_id: string;
      /**
       * @description Write-only. Left out: the stored secret is kept; null: cleared
       * @example client-secret-from-the-vendor-portal
       */
      client_secret?: string | null;
      /**
       * @description Scopes to request; left out or null: the vendor's defaults
       * @example [
       *       "daily",
       *       "heartrate"
       *     ]
       */
      scopes?: string[] | null;
      /**
       * @description Write-only. The vendor's webhook signing secret or verify token (Polar's signature_secret_key, Strava's verify_token); left out: kept; null: cleared
       * @example webhook-secret-or-verify-token
       */
      webhook_secret?: string | null;
    };
    RazorpayWebhookEvent: {
      event: string;
      payload: {
        [key: string]: unknown;
      };
    } & {
      [key: string]: unknown;
    };
    Readiness: {
      checks: {
        [key: string]: string;
      };
      /** @enum {string} */
      status: 'ready' | 'unavailable';
    };
    RegisterRequest: {
      /** Format: email */
      email: string;
      invite_token?: string;
      name: string;
      password: string;
    };
    RegisterResponse: components['schemas']['Developer'] & {
      api_key: components['schemas']['ApiKeyCreated'];
    };
    RejectedEntry: {
      /** @enum {string} */
      collection: 'records' | 'workouts' | 'sleep' | 'samples';
      index: number;
      loc: (string | number)[];
      msg: string;
    };
    /** @description Your retention policy, applied to all your users by a job that runs every RETENTION_INTERVAL_MINUTES. The default keeps everything (every field `null`). */
    RetentionPolicy: {
      /**
       * @description Every health row (samples, hourly aggregates, workouts with their routes, sleep, scores, raw payloads, finished sync runs) older than this many days is deleted. `null` (the default): kept for good.
       * @example null
       */
      delete_after_days: number | null;
      /**
       * @description Raw payloads (the bytes an SDK batch, import or vendor pull sent, and processed vendor webhook bodies) are deleted this many days after they were received. A payload an unfinished run still needs is kept until the run ends. `null` (the default): kept for good.
       * @example null
       */
      raw_payload_days: number | null;
      /**
       * @description Raw samples older than this many days are dropped; their hourly aggregates (count, sum, min, max per local hour and source) stay, so `resolution=1hour` timeseries and daily summaries still answer for that period, while `raw` and sub-hour resolutions return nothing there. `null` (the default): kept for good.
       * @example null
       */
      sample_days: number | null;
      /** @description When the policy was last set; `null`: never set. */
      updated_at: string | null;
    };
    /** @description The whole policy (PUT replaces it): an omitted or `null` field keeps that data for good. Days are whole days (1–36500); raw_payload_days and sample_days may not exceed delete_after_days. */
    RetentionPolicyInput: {
      /**
       * @description Every health row (samples, hourly aggregates, workouts with their routes, sleep, scores, raw payloads, finished sync runs) older than this many days is deleted. `null` (the default): kept for good.
       * @example null
       */
      delete_after_days?: number | null;
      /**
       * @description Raw payloads (the bytes an SDK batch, import or vendor pull sent, and processed vendor webhook bodies) are deleted this many days after they were received. A payload an unfinished run still needs is kept until the run ends. `null` (the default): kept for good.
       * @example null
       */
      raw_payload_days?: number | null;
      /**
       * @description Raw samples older than this many days are dropped; their hourly aggregates (count, sum, min, max per local hour and source) stay, so `resolution=1hour` timeseries and daily summaries still answer for that period, while `raw` and sub-hour resolutions return nothing there. `null` (the default): kept for good.
       * @example null
       */
      sample_days?: number | null;
    };
    /** @description Entries are validated one by one: see SdkRecord, SdkWorkout, SdkSleepStage. */
    SdkSyncRequest: {
      data: {
        /** @default [] */
        records?: unknown[];
        /** @default [] */
        sleep?: unknown[];
        /** @default [] */
        workouts?: unknown[];
      };
      /** @enum {string} */
      provider: 'apple' | 'samsung' | 'google';
      sdkVersion?: string;
      syncTimestamp?: string;
    };
    SleepEvent: {
      avg_heart_rate_bpm: number | null;
      avg_hrv_sdnn_ms: number | null;
      avg_respiratory_rate: number | null;
      avg_spo2_percent: number | null;
      duration_seconds: number;
      efficiency_percent: number | null;
      end_time: string;
      /** Format: uuid */
      id: string;
      interruptions: number;
      is_nap: boolean;
      sleep_duration_seconds: number;
      source: {
        device: string | null;
        provider: string;
      };
      stages: {
        awake_minutes: number;
        deep_minutes: number;
        light_minutes: number;
        rem_minutes: number;
        unknown_minutes: number;
      };
      start_time: string;
      /** @description Non-overlapping stage runs, in order */
      timeline: {
        end: string;
        stage: string;
        start: string;
      }[];
      utc_offset_minutes: number | null;
    };
    SleepEventPage: {
      data: components['schemas']['SleepEvent'][];
      pagination: {
        has_more: boolean;
        next_cursor: string | null;
        total_count: number;
      };
    };
    SleepSummary: {
      awake_minutes: number;
      bedtime_end: string;
      bedtime_start: string;
      date: string;
      deep_minutes: number;
      efficiency_percent: number | null;
      interruptions: number;
      light_minutes: number;
      naps: {
        count: number;
        minutes: number;
      };
      rem_minutes: number;
      sessions: number;
      source: {
        device: string | null;
        provider: string;
      };
      time_in_bed_minutes: number;
      total_sleep_minutes: number;
      unknown_minutes: number;
    };
    SnsNotificationAck: {
      /** @description Object keys the notification named */
      received: number;
      /** @enum {string} */
      subscription?: 'confirmed' | 'ignored';
    };
    /** @description Ordered rules, most preferred first. An empty list restores the default. */
    SourcePriority: {
      priority: components['schemas']['SourceRule'][];
    };
    /** @description Matches data sources whose fields equal these (case-insensitive) */
    SourceRule: {
      app_name?: string;
      device_model?: string;
      device_name?: string;
      device_type?: string;
      provider?: string;
    };
    SupportContact: {
      /** Format: email */
      email: string;
      message: string;
      name?: string;
      subject: string;
    };
    SupportContactReceipt: {
      created_at: string;
      /** Format: uuid */
      id: string;
      /** @enum {string} */
      status: 'open';
    };
    SupportResolve: {
      resolved: boolean;
    };
    SupportTicket: {
      created_at: string;
      developer_email: string | null;
      /**
       * Format: uuid
       * @description The developer account whose email the sender gave (unverified: anyone can type it)
       */
      developer_id: string | null;
      email: string;
      /** Format: uuid */
      id: string;
      message: string;
      name: string | null;
      resolved_at: string | null;
      /** Format: uuid */
      resolved_by: string | null;
      resolved_by_email: string | null;
      /** @enum {string} */
      status: 'open' | 'resolved';
      subject: string;
    };
    SyncError: {
      /** @enum {string} */
      code: 'PLATFORM_ERROR' | 'AUTH_ERROR' | 'RATE_LIMIT' | 'CONNECTION_NOT_FOUND' | 'INTERNAL_ERROR';
      details?: {
        retry_after?: number;
      };
      message: string;
    } | null;
    SyncJobStatus: {
      /** Format: uuid */
      connection_id: string | null;
      current_stage: string;
      error: components['schemas']['SyncError'];
      estimated_completion: string | null;
      job_id: string;
      message: string | null;
      progress: {
        failing: number;
        percentage: number;
        processed: number;
        total: number;
      };
      started_at: string | null;
      /** @enum {string} */
      status: 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
    };
    SyncRequest: {
      /** Format: uuid */
      connection_id?: string;
      /** @default false */
      force?: boolean;
      /**
       * @default incremental
       * @enum {string}
       */
      mode?: 'incremental' | 'historical';
      provider?: string;
      /** Format: uuid */
      user_id?: string;
    };
    SyncRun: {
      created_at: string;
      ended_at: string | null;
      error?: unknown;
      items_processed: number | null;
      items_total: number | null;
      /** @description Same as updated_at (the name spec 000 uses) */
      last_update: string;
      message: string | null;
      progress: number | null;
      provider: string;
      result?: unknown;
      run_id: string;
      /** @enum {string} */
      source: 'pull' | 'webhook' | 'sdk' | 'backfill' | 'xml_import' | 'export';
      /** @enum {string} */
      stage:
        | 'queued'
        | 'started'
        | 'fetching'
        | 'processing'
        | 'saving'
        | 'completed'
        | 'failed'
        | 'cancelled';
      started_at: string | null;
      /** @enum {string} */
      status: 'in_progress' | 'success' | 'partial' | 'failed' | 'cancelled';
      updated_at: string;
      /** Format: uuid */
      user_id: string;
    };
    SyncRunPage: {
      data: components['schemas']['SyncRun'][];
      pagination: {
        has_more: boolean;
        next_cursor: string | null;
      };
    };
    SyncSchedule: {
      /** Format: uuid */
      connection_id: string;
      enabled: boolean;
      last_sync: string | null;
      next_sync: string | null;
      provider: string;
      /** @description Cron (UTC, 5 fields); null: the default interval */
      schedule: string | null;
      /** Format: uuid */
      user_id: string;
    };
    SyncStatusEvent: {
      ended_at: string | null;
      error?: unknown;
      event_id: string;
      items_processed: number | null;
      items_total: number | null;
      message: string | null;
      metadata: {
        [key: string]: unknown;
      };
      progress: number | null;
      provider: string;
      run_id: string;
      /** @enum {string} */
      source: 'pull' | 'webhook' | 'sdk' | 'backfill' | 'xml_import' | 'export';
      /** @enum {string} */
      stage:
        | 'queued'
        | 'started'
        | 'fetching'
        | 'processing'
        | 'saving'
        | 'completed'
        | 'failed'
        | 'cancelled';
      started_at: string | null;
      /** @enum {string} */
      status: 'in_progress' | 'success' | 'partial' | 'failed' | 'cancelled';
      timestamp: string;
      user_id: string;
    };
    SyncTriggered: {
      /** Format: uuid */
      connection_id: string;
      /** @description false when a sync of this connection and mode was already running */
      created: boolean;
      estimated_items: number | null;
      job_id: string;
      started_at: string | null;
      /** @enum {string} */
      status: 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
    };
    TeamInvitation: {
      created_at: string;
      email: string;
      expires_at: string;
      /** Format: uuid */
      id: string;
      role: components['schemas']['TeamMemberRole'];
    };
    TeamInvitationCreated: {
      email: string;
      /** @description Whether the link went out by mail (SMTP configured) */
      emailed: boolean;
      expires_at: string;
      /** Format: uuid */
      id: string;
      /** @description The link to hand to the invitee, only when it was not emailed. Shown once. */
      invite_url?: string;
      role: components['schemas']['TeamMemberRole'];
    };
    TeamInvitationList: {
      data: components['schemas']['TeamInvitation'][];
    };
    TeamInvitationLookup: {
      email: string;
      expires_at: string;
      role: components['schemas']['TeamMemberRole'];
      /** @description The owner's name */
      team_name: string;
    };
    TeamMember: {
      created_at: string;
      email: string;
      /** Format: uuid */
      id: string;
      name: string;
      role: components['schemas']['TeamRole'];
    };
    TeamMemberList: {
      data: components['schemas']['TeamMember'][];
    };
    /** @enum {string} */
    TeamMemberRole: 'admin' | 'viewer';
    /** @enum {string} */
    TeamRole: 'owner' | 'admin' | 'viewer';
    TimeseriesPage: {
      data: components['schemas']['TimeseriesPoint'][];
      pagination: {
        has_more: boolean;
        next_cursor: string | null;
        total_count: number;
      };
    };
    TimeseriesPoint: {
      /** @enum {string} */
      aggregation?: 'sum' | 'avg';
      count?: number;
      duration_seconds?: number;
      id: string;
      max?: number;
      min?: number;
      series_type: string;
      source: {
        device: string | null;
        provider: string;
      };
      timestamp: string;
      unit: string;
      value: number;
    };
    UpdateProfileRequest: {
      name?: string;
      organization?: string | null;
    };
    UpdateTeamMemberRequest: {
      role: components['schemas']['TeamMemberRole'];
    };
    UpdateUserRequest: {
      /** Format: email */
      email?: string | null;
      /** @description Your own identifier for this user; unique within your account */
      external_id?: string | null;
      first_name?: string | null;
      last_name?: string | null;
      /** @description IANA zone for data that arrives without a UTC offset; used to cut the user's local days */
      timezone?: string | null;
    };
    UpdateWebhookEndpointRequest: {
      description?: string | null;
      disabled?: boolean;
      /**
       * @description Event types or group wildcards (`workout.*`, `series.*`, `*`); empty or absent: all events
       * @example [
       *       "workout.created",
       *       "sleep.created",
       *       "series.*"
       *     ]
       */
      filter_types?: string[];
      url?: string;
    };
    User: {
      created_at: string;
      email: string | null;
      external_id: string | null;
      first_name: string | null;
      /** Format: uuid */
      id: string;
      last_name: string | null;
      timezone: string | null;
      updated_at: string;
    };
    UserList: {
      data: components['schemas']['User'][];
      pagination: components['schemas']['Pagination'] & {
        limit: number;
        page: number;
      };
    };
    /** @description Ordered rules, most preferred first. An empty list restores the default. */
    UserSourcePriority: components['schemas']['SourcePriority'] & {
      effective: {
        device: string | null;
        provider: string;
        rank: number;
        reason: string;
        source_id: number;
      }[];
    };
    VendorWebhookAck: {
      /** @description The stored delivery */
      id: string | null;
      /** @enum {string} */
      status: 'accepted' | 'duplicate';
    };
    VerificationResent: {
      already_verified: boolean;
      email: string;
      /** @description Sent by mail (false: no SMTP on this instance, the link was logged for the operator, or the server refused it) */
      emailed: boolean;
    };
    /** @description A JSON array of WearMetrics samples, or {"samples": [...]} */
    WearMetricsBatch:
      | unknown[]
      | {
          samples: unknown[];
        };
    WearMetricsPage: {
      data: components['schemas']['WearMetricsSample'][];
      pagination: {
        has_more: boolean;
        next_cursor: string | null;
      };
    };
    WearMetricsSample: {
      device_id: string;
      meta: {
        [key: string]: unknown;
      };
      metrics: {
        [key: string]: number;
      };
      rr_ms?: number[];
      source: string;
      timestamp: string;
    };
    WebhookAttempt: {
      attempt: number;
      created_at: string;
      /** @enum {string} */
      delivery_status: 'pending' | 'succeeded' | 'failed';
      duration_ms: number;
      error: string | null;
      event_type: string;
      id: string;
      message_id: string;
      next_attempt_at: string | null;
      response_excerpt: string | null;
      status_code: number | null;
    };
    WebhookEndpoint: {
      created_at: string;
      description: string | null;
      disabled: boolean;
      disabled_reason: string | null;
      failing_since: string | null;
      /** @description Empty: every event type */
      filter_types: string[];
      /** @example ep_Qx3v9yB2kq0m1ZcR */
      id: string;
      updated_at: string;
      url: string;
    };
    WebhookEndpointSecret: {
      /** @example whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw */
      key: string;
      previous_key: string | null;
      previous_key_expires_at: string | null;
    };
    WorkoutEvent: {
      avg_heart_rate_bpm: number | null;
      avg_pace_sec_per_km: number | null;
      calories_kcal: number | null;
      distance_meters: number | null;
      duration_seconds: number;
      elevation_gain_meters: number | null;
      end_time: string;
      /** Format: uuid */
      id: string;
      max_heart_rate_bpm: number | null;
      /** @description How many GPS points are stored for the route */
      route_points: number;
      segments: {
        [key: string]: unknown;
      }[];
      source: {
        device: string | null;
        provider: string;
      };
      source_activity_type: string | null;
      start_time: string;
      statistics: {
        [key: string]: unknown;
      };
      steps: number | null;
      type: string;
      utc_offset_minutes: number | null;
    };
    WorkoutEventPage: {
      data: components['schemas']['WorkoutEvent'][];
      pagination: {
        has_more: boolean;
        next_cursor: string | null;
        total_count: number;
      };
    };
    WorkoutRoute: {
      /** @description True when the route had more than max_points: then every k-th point is returned (k the smallest stride that fits), first and last always included */
      downsampled: boolean;
      points: {
        altitude_m: number | null;
        latitude: number;
        longitude: number;
        time: string;
      }[];
      /** @description Points stored for the route */
      total_points: number;
      /** Format: uuid */
      workout_id: string;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
