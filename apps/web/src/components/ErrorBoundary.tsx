// The last line of defence: a page that throws while rendering shows what happened and a way on,
// instead of a blank screen. Navigating elsewhere clears it.
import { Component, type ReactNode } from 'react';
import { useLocation } from 'react-router';

interface State {
  error: Error | null;
}

class Boundary extends Component<{ children: ReactNode; resetKey: string }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidUpdate(prev: { resetKey: string }) {
    if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <section className="page" data-error-boundary>
        <div className="page-head">
          <h1>Something went wrong on this page</h1>
        </div>
        <div className="banner banner-error" role="alert">
          The page could not be shown: {this.state.error.message}. Nothing was changed. Reload the page, or go back to
          the <a href="/inventory">inventory</a>.
        </div>
      </section>
    );
  }
}

export function ErrorBoundary({ children }: { children: ReactNode }) {
  const { pathname } = useLocation();
  return <Boundary resetKey={pathname}>{children}</Boundary>;
}
