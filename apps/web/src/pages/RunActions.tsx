// What operators do to a run and what they said: the Accept and Abort dialogs (each with an
// audited comment) and, on the page, every accept and abort request with who, when and the comment.
import type { RunDetail, RunOperatorAction } from '@hitless/contracts';
import { acceptEffect } from '@hitless/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, friendlyError } from '../api.ts';
import { Banner, Dialog, Field } from '../components/ui.tsx';
import { dateTime } from '../time.ts';
import { runKey } from './RunLive.ts';

export function ActionDialog({
  kind,
  run,
  onClose,
}: {
  kind: 'accept' | 'abort';
  run: RunDetail;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [comment, setComment] = useState('');
  const act = useMutation({
    mutationFn: () =>
      api.post<RunDetail>(`/api/v1/runs/${run.id}/${kind}`, comment.trim() ? { comment: comment.trim() } : {}),
    onSuccess: (updated) => {
      queryClient.setQueryData(runKey(run.id), updated);
      onClose();
    },
  });
  const accept = kind === 'accept';
  return (
    <Dialog
      title={accept ? `Accept ${run.toVersion} on ${run.deviceHostname}` : `Abort the upgrade of ${run.deviceHostname}`}
      onClose={onClose}
    >
      <form
        className="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          act.mutate();
        }}
      >
        <p>
          {accept
            ? acceptEffect(run.procedure, run.options, run.toVersion)
            : run.abortPlan.possible
              ? run.abortPlan.effect
              : `An abort is no longer possible: ${run.abortPlan.reason}.`}
        </p>
        <Field label="Comment (audited)" hint="Shown on this page and in the audit log.">
          <textarea rows={2} maxLength={500} value={comment} onChange={(e) => setComment(e.target.value)} />
        </Field>
        {act.error && <Banner kind="error">{friendlyError(act.error, 'the request failed')}</Banner>}
        <div className="actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className={`btn ${accept ? 'btn-primary' : 'btn-danger'}`} disabled={act.isPending}>
            {accept ? 'Accept new software' : 'Abort upgrade'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

const ACTION_LABEL: Record<RunOperatorAction['kind'], string> = {
  accept: 'Accepted',
  abort: 'Abort requested',
};

/** The accepts and abort requests of the run, oldest first, as the audit log recorded them. */
export function OperatorActions({ actions }: { actions: readonly RunOperatorAction[] }) {
  if (actions.length === 0) return null;
  return (
    <section className="run-operator-actions" aria-label="Operator actions">
      <h2 className="side-title">Operator actions</h2>
      <ul>
        {actions.map((a) => (
          <li key={`${a.kind}-${a.at}`} data-kind={a.kind}>
            <div>
              <strong>{ACTION_LABEL[a.kind]}</strong> by {a.by}{' '}
              <time className="muted" dateTime={a.at}>
                {dateTime(a.at)}
              </time>
            </div>
            {a.comment ? (
              <blockquote className="run-comment">{a.comment}</blockquote>
            ) : (
              <div className="muted small-text">no comment</div>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
