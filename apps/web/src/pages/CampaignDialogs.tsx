// The campaign's confirmations: approve or reject the plan (naming the plan hash shown), open a gate
// or halt, pause, resume, abort. Each says what will happen and takes an audited comment.
import { CampaignDecision, GateDecision, type CampaignDetail } from '@hitless/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { api, friendlyError } from '../api.ts';
import { Banner, Dialog, Field } from '../components/ui.tsx';
import { campaignKey } from './CampaignCommon.tsx';

export type CampaignAction =
  | { kind: 'approve' | 'reject' }
  | { kind: 'gate-open' | 'gate-halt'; wave: number; waveLabel: string }
  | { kind: 'pause' | 'resume' | 'abort' };

interface Spec {
  title: string;
  text: ReactNode;
  confirm: string;
  danger?: boolean;
  commentRequired: boolean;
  url: string;
  body: (comment: string) => unknown;
  /** The schema the API parses the body with, when there is one to check here first. */
  validate?: (body: unknown) => string | undefined;
}

const firstIssue = (r: { success: boolean; error?: { issues: { message: string; path: PropertyKey[] }[] } }) =>
  r.success ? undefined : r.error?.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`)[0];

function spec(c: CampaignDetail, a: CampaignAction): Spec {
  const base = `/api/v1/campaigns/${c.id}`;
  switch (a.kind) {
    case 'approve':
    case 'reject': {
      const approve = a.kind === 'approve';
      return {
        title: approve ? `Approve ${c.name}` : `Reject ${c.name}`,
        text: (
          <>
            {approve
              ? 'The plan as shown is approved: its devices, waves, images and window. It starts when the window opens.'
              : 'The campaign goes back to its authors; nothing runs.'}{' '}
            A plan changed since you loaded this page is refused; the decision names this plan:
            <span className="mono break dialog-hash">{c.planHash ?? 'no plan hash yet'}</span>
          </>
        ),
        confirm: approve ? 'Approve plan' : 'Reject plan',
        danger: !approve,
        commentRequired: true,
        url: `${base}/approval`,
        body: (comment) => ({ decision: approve ? 'APPROVED' : 'REJECTED', comment, planHash: c.planHash ?? '' }),
        validate: (b) => firstIssue(CampaignDecision.safeParse(b)),
      };
    }
    case 'gate-open':
    case 'gate-halt': {
      const open = a.kind === 'gate-open';
      return {
        title: open ? `Open the gate after ${a.waveLabel}` : `Halt ${c.name} after ${a.waveLabel}`,
        text: open
          ? 'The next wave starts (inside the window). Check the results of the wave above first.'
          : 'No further device of this campaign is upgraded: it stops here. Devices already upgraded stay as they are.',
        confirm: open ? 'Open gate' : 'Halt campaign',
        danger: !open,
        commentRequired: true,
        url: `${base}/gates/${a.wave}`,
        body: (comment) => ({ decision: open ? 'APPROVED' : 'REJECTED', comment }),
        validate: (b) => firstIssue(GateDecision.safeParse(b)),
      };
    }
    case 'pause':
      return {
        title: `Pause ${c.name}`,
        text: 'No new device run starts; runs in flight finish. Resume to go on.',
        confirm: 'Pause campaign',
        commentRequired: false,
        url: `${base}/pause`,
        body: (comment) => (comment ? { comment } : {}),
      };
    case 'resume':
      return {
        title: `Resume ${c.name}`,
        text: 'New device runs start again while the window is open.',
        confirm: 'Resume campaign',
        commentRequired: false,
        url: `${base}/resume`,
        body: (comment) => (comment ? { comment } : {}),
      };
    case 'abort':
      return {
        title: `Abort ${c.name}`,
        text: 'No new device run starts and the runs in flight are aborted where their procedure can still back out (each run page says how). The campaign ends ABORTED; this cannot be undone.',
        confirm: 'Abort campaign',
        danger: true,
        commentRequired: false,
        url: `${base}/abort`,
        body: (comment) => (comment ? { comment } : {}),
      };
  }
}

export function CampaignActionDialog({
  campaign,
  action,
  onClose,
}: {
  campaign: CampaignDetail;
  action: CampaignAction;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const s = spec(campaign, action);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string>();
  const act = useMutation({
    mutationFn: (body: unknown) => api.post<CampaignDetail>(s.url, body),
    onSuccess: (updated) => {
      if (updated && typeof updated === 'object' && 'id' in updated)
        queryClient.setQueryData(campaignKey(campaign.id), updated);
      void queryClient.invalidateQueries({ queryKey: ['campaigns'] });
      onClose();
    },
  });
  return (
    <Dialog title={s.title} onClose={onClose}>
      <form
        className="form-grid"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const text = comment.trim();
          if (s.commentRequired && !text) return setError('a comment is required: it goes into the audit trail');
          const body = s.body(text);
          const problem = s.validate?.(body);
          if (problem) return setError(problem.replace(/^comment: /, ''));
          setError(undefined);
          act.mutate(body);
        }}
      >
        <p>{s.text}</p>
        <Field label={s.commentRequired ? 'Comment (required, audited)' : 'Comment (audited)'} error={error}>
          <textarea
            rows={3}
            maxLength={s.commentRequired ? 1000 : 500}
            value={comment}
            onChange={(e) => {
              setComment(e.target.value);
              setError(undefined);
            }}
          />
        </Field>
        {act.error && <Banner kind="error">{friendlyError(act.error, 'the request failed')}</Banner>}
        <div className="actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className={`btn ${s.danger ? 'btn-danger' : 'btn-primary'}`} disabled={act.isPending}>
            {s.confirm}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
