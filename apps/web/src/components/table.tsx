// The pieces every table of the dashboard shares: the row said instead of data (loading, a failed
// load, nothing yet) and a row's small action buttons, named with what they act on.
import type { ReactNode } from 'react';

export function EmptyRow({ columns, children }: { columns: number; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={columns} className="empty">
        {children}
      </td>
    </tr>
  );
}

/** "Delete" on screen, "Delete lab-pe001" to a screen reader (and to tests). */
export function RowAction({
  label,
  of,
  onClick,
  danger,
  disabled,
}: {
  label: string;
  of: string;
  onClick(): void;
  danger?: boolean;
  disabled?: boolean;
}) {
  return (
    <button
      type="button"
      className={`btn btn-small${danger ? ' btn-danger' : ''}`}
      aria-label={`${label} ${of}`}
      disabled={disabled}
      onClick={onClick}
    >
      {label}
    </button>
  );
}
