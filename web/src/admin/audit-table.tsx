import { useState } from 'react';
import { Link } from '../router.tsx';
import { Button, formatDateTime, Table } from '../ui.tsx';

export interface AuditRow {
  id: number;
  developer_id: string;
  developer_email: string | null;
  action: string;
  actor: { type: string; id: string | null };
  target: { type: string; id: string } | null;
  ip: string | null;
  detail: unknown;
  created_at: string;
}

function Row(props: { row: AuditRow }) {
  const { row } = props;
  const [open, setOpen] = useState(false);
  return (
    <>
      <tr>
        <td>{formatDateTime(row.created_at)}</td>
        <td>
          <code>{row.action}</code>
        </td>
        <td>
          <Link to={`/admin/developers/${row.developer_id}`}>{row.developer_email ?? row.developer_id}</Link>
        </td>
        <td>
          {row.actor.type}
          {row.actor.id && <div className="muted">{row.actor.id}</div>}
        </td>
        <td>{row.target ? `${row.target.type} ${row.target.id}` : '—'}</td>
        <td>{row.ip ?? '—'}</td>
        <td>
          <Button
            variant="link"
            aria-expanded={open}
            onClick={() => setOpen(!open)}
            aria-label={`${open ? 'Hide' : 'Show'} detail of row ${row.id}`}
          >
            {open ? 'Hide' : 'Show'}
          </Button>
        </td>
      </tr>
      {open && (
        <tr>
          <td colSpan={7}>
            <pre className="ticket-message">{JSON.stringify(row.detail, null, 2)}</pre>
          </td>
        </tr>
      )}
    </>
  );
}

export function AuditTable(props: { rows: AuditRow[]; caption: string }) {
  return (
    <Table caption={props.caption} head={['When', 'Action', 'Trail', 'Actor', 'Target', 'Address', 'Detail']}>
      {props.rows.map((row) => (
        <Row key={row.id} row={row} />
      ))}
    </Table>
  );
}
