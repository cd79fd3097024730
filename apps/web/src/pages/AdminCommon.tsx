// Pieces the admin pages and the account page share: the admin area's tabs, the page a role
// without the right sees instead of a crash, a secret shown once with a copy button, and a
// generated one-time password.
import { useId, useState, type ReactNode } from 'react';
import { Link, NavLink } from 'react-router';
import './Admin.css';

/** The admin area's own navigation, between Users and Credentials. */
export function AdminTabs() {
  return (
    <nav className="admin-tabs" aria-label="Admin">
      <NavLink to="/admin/users">Users</NavLink>
      <NavLink to="/admin/credentials">Credentials</NavLink>
    </nav>
  );
}

/** What a role without the permission sees: said plainly, with the way back (the API refuses anyway). */
export function NotAllowed({ title, what }: { title: string; what: string }) {
  return (
    <section className="page">
      <div className="page-head">
        <h1>{title}</h1>
      </div>
      <div className="empty" role="status">
        <p>
          <strong>Not allowed.</strong> {what} is for admins only; your role cannot open this page.
        </p>
        <p>
          <Link to="/inventory">Go to the inventory</Link> · <Link to="/account">Your account</Link>
        </p>
      </div>
    </section>
  );
}

/** A secret shown once: selectable, with a copy button and the warning that it will not be shown again. */
export function ShownOnce({ label, value, children }: { label: string; value: string; children?: ReactNode }) {
  const id = useId();
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('yes');
    } catch {
      setCopied('no');
    }
  };
  return (
    <div className="shown-once">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <div className="shown-once-row">
        <input id={id} className="mono shown-once-value" readOnly value={value} onFocus={(e) => e.target.select()} />
        <button type="button" className="btn btn-small" onClick={() => void copy()}>
          Copy
        </button>
      </div>
      <span className="field-hint" role="status">
        {copied === 'yes' ? 'Copied to the clipboard. ' : copied === 'no' ? 'Select it and copy it by hand. ' : ''}
      </span>
      <p className="warn-text shown-once-warning">
        <strong>You will not see it again.</strong> {children}
      </p>
    </div>
  );
}

const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Four groups of five characters from an unambiguous alphabet (about 98 bits): "k7mqx-2pdht-…". */
export function generatePassword(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  const chars = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]!);
  return [0, 5, 10, 15].map((i) => chars.slice(i, i + 5).join('')).join('-');
}

/** "1 device", "3 devices". */
export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
