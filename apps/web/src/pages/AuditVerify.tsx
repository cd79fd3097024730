// For the roles that may verify the trail (audit:verify): the chain's verification said plainly
// ("Chain verified: N entries, last checkpoint …" or "Broken at entry #N: …"), and the exports of
// the filtered set, built and streamed by the API with the page's filters: CSV, and JSON with each
// event's prevHash and a freshly signed checkpoint of the chain's head (to verify offline).
import type { AuditVerifyResult } from '@hitless/contracts';
import { useQuery } from '@tanstack/react-query';
import { api, friendlyError, qs } from '../api.ts';
import { Banner } from '../components/ui.tsx';
import { dateTime } from '../time.ts';
import type { AuditFilterValues } from './AuditFilters.tsx';

const REASONS: Record<NonNullable<AuditVerifyResult['problem']>['reason'], string> = {
  'content-changed': 'an event was changed after it was written',
  'order-changed': 'events were reordered',
  'row-missing': 'an event is missing from the chain',
  unkeyed: 'an event carries a hash without the key (rewritten, or from before keyed hashes)',
  'rows-missing-after-checkpoint': 'events covered by a signed checkpoint are gone',
  'table-emptied': 'the table was emptied after a checkpoint was signed',
  'checkpoint-forged': 'a checkpoint does not carry a valid signature',
  'checkpoints-missing': 'the checkpoint file is missing while the chain says it existed',
};

const plural = (n: number, word: string, words = `${word}s`) => `${n.toLocaleString()} ${n === 1 ? word : words}`;

export function VerifyResult({ result }: { result: AuditVerifyResult }) {
  const checkpoint = result.lastCheckpoint
    ? `last checkpoint ${dateTime(result.lastCheckpoint.at)} at entry #${result.lastCheckpoint.headId}`
    : 'no signed checkpoint yet';
  return (
    <div className="audit-verify" data-testid="audit-verify">
      {result.ok ? (
        <p className="audit-intact">
          <strong>Chain verified:</strong> {plural(result.checked, 'entry', 'entries')}, {checkpoint}
          {result.head ? `; newest entry #${result.head.id} at ${dateTime(result.head.at)}` : ''}.
        </p>
      ) : (
        <div className="audit-broken" role="alert">
          <p>
            <strong>{result.brokenAt ? `Broken at entry #${result.brokenAt}:` : 'Broken:'}</strong>{' '}
            {result.problem?.message ?? 'the chain does not verify'}
          </p>
          {result.problem && (
            <p>
              Reason: {REASONS[result.problem.reason]} ({result.problem.reason})
              {!result.brokenAt && '; the entries concerned are gone from the table'}
              {result.problems > 1 && `; ${plural(result.problems, 'problem')} in all`}.
            </p>
          )}
          <p className="muted">
            {plural(result.checked, 'entry', 'entries')} read;{' '}
            {result.intactFrom
              ? `intact from entry #${result.intactFrom.id} (${dateTime(result.intactFrom.at)}) to the newest`
              : 'no intact stretch up to the newest entry'}
            ; {checkpoint}.
          </p>
        </div>
      )}
      {result.warnings.length > 0 && (
        <ul className="audit-warnings" aria-label="Warnings">
          {result.warnings.map((w) => (
            <li key={w}>Warning: {w}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function AuditVerifyPanel() {
  const verify = useQuery({
    queryKey: ['audit', 'verify'],
    queryFn: () => api.get<AuditVerifyResult>('/api/v1/audit/verify'),
    staleTime: 30_000,
  });
  return (
    <section className="panel audit-panel" aria-label="Chain verification">
      <div className="audit-panel-head">
        <h2>Chain verification</h2>
        <button
          type="button"
          className="btn btn-small"
          disabled={verify.isFetching}
          onClick={() => void verify.refetch()}
        >
          {verify.isFetching ? 'Verifying…' : 'Verify again'}
        </button>
      </div>
      {verify.data ? (
        <VerifyResult result={verify.data} />
      ) : verify.error ? (
        <Banner kind="error">{friendlyError(verify.error, 'could not verify the audit chain')}</Banner>
      ) : (
        <p className="muted">Verifying every event of the chain…</p>
      )}
    </section>
  );
}

/** Downloads through the browser (the session cookie goes along), both of the filtered set. */
export function AuditExports({
  filters,
  filtered,
  total,
}: {
  filters: AuditFilterValues;
  filtered: boolean;
  total: number | undefined;
}) {
  const query = qs(filters);
  const what = `${filtered ? 'filtered' : 'whole trail'}${total === undefined ? '' : `, ${plural(total, 'event')}`}`;
  return (
    <div className="audit-exports">
      <a className="btn btn-small" href={`/api/v1/audit/export.csv${query}`} download>
        Export CSV ({what})
      </a>
      <a className="btn btn-small" href={`/api/v1/audit/export${query}`} download>
        Export JSON ({what})
      </a>
    </div>
  );
}
