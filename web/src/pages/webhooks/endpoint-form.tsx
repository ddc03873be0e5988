import { type FormEvent, useState } from 'react';
import { ApiError } from '../../api.ts';
import { Button, ErrorNote, Field } from '../../ui.tsx';
import { choiceOf, FilterPicker, filtersToSend } from './filter-picker.tsx';

export interface EndpointInput {
  url: string;
  description: string | null;
  filter_types: string[];
}

/** A validation error's message for one body field (`loc: ['body', field, …]`). */
function fieldError(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiError) || error.status !== 422) return undefined;
  const detail = (error.body as { detail?: unknown } | undefined)?.detail;
  if (!Array.isArray(detail)) return undefined;
  const hit = detail.find((d: { loc?: unknown[] }) => d.loc?.[0] === 'body' && d.loc?.[1] === field) as
    | { msg?: string }
    | undefined;
  return hit?.msg;
}

/** URL, description and event filters: the create form and the edit form of an endpoint. */
export function EndpointForm(props: {
  initial?: EndpointInput;
  submitLabel: string;
  busy: boolean;
  error: unknown;
  onSubmit(input: EndpointInput): void;
  onCancel?: () => void;
}) {
  const [url, setUrl] = useState(props.initial?.url ?? '');
  const [description, setDescription] = useState(props.initial?.description ?? '');
  const [choice, setChoice] = useState(choiceOf(props.initial?.filter_types ?? []));
  const [filterError, setFilterError] = useState<string>();
  const [urlMissing, setUrlMissing] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setUrlMissing(url.trim() === '');
    if (url.trim() === '') return;
    const filters = filtersToSend(choice);
    if (typeof filters === 'string') {
      setFilterError(filters);
      return;
    }
    setFilterError(undefined);
    props.onSubmit({ url: url.trim(), description: description.trim() || null, filter_types: filters });
  };
  const urlError = urlMissing
    ? 'Enter the URL WearLink should POST events to.'
    : fieldError(props.error, 'url');
  const serverFilterError = fieldError(props.error, 'filter_types');
  return (
    <form onSubmit={submit} className="stack" noValidate>
      <Field
        label="Endpoint URL"
        type="url"
        required
        value={url}
        onChange={(e) => {
          setUrl(e.currentTarget.value);
          setUrlMissing(false);
        }}
        placeholder="https://yourapp.com/hooks/wearlink"
        hint="WearLink POSTs signed JSON (Standard Webhooks) here. Must be reachable from the server."
        error={urlError}
      />
      <Field
        label="Description"
        value={description}
        maxLength={500}
        onChange={(e) => setDescription(e.currentTarget.value)}
        hint="Optional: what this endpoint is for."
      />
      <FilterPicker
        value={choice}
        onChange={(next) => {
          setChoice(next);
          setFilterError(undefined);
        }}
        error={filterError ?? serverFilterError}
      />
      {props.error !== undefined && props.error !== null && !urlError && !serverFilterError && (
        <ErrorNote error={props.error} />
      )}
      <div className="row">
        <Button type="submit" variant="primary" busy={props.busy}>
          {props.submitLabel}
        </Button>
        {props.onCancel && <Button onClick={props.onCancel}>Cancel</Button>}
      </div>
    </form>
  );
}
