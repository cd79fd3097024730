import { Link, useLocation } from 'react-router';

/** Any URL the dashboard does not know: said plainly, with the way back. */
export function NotFoundPage() {
  const { pathname } = useLocation();
  return (
    <section className="page">
      <div className="page-head">
        <h1>Page not found</h1>
      </div>
      <div className="empty">
        <p>
          There is no page at <code className="mono">{pathname}</code>. It may have been mistyped, or the link is from
          an older version of Hitless.
        </p>
        <p>
          <Link to="/inventory">Go to the inventory</Link> · <Link to="/runs">Runs</Link> ·{' '}
          <Link to="/campaigns">Campaigns</Link>
        </p>
      </div>
    </section>
  );
}
