// Writing a campaign (/campaigns/new) or changing one (/campaigns/:id/edit): what, which devices,
// which images, when, and how. It is saved as a draft; the plan preview is on the campaign page.
import type { CampaignDetail } from '@hitless/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, ApiError, friendlyError } from '../api.ts';
import { Banner, Field } from '../components/ui.tsx';
import { DeviceSelection, useFilterMatches } from './CampaignBuilderDevices.tsx';
import {
  emptyForm,
  errorAt,
  formOf,
  serverFieldErrors,
  toBody,
  type CampaignForm,
  type FieldErrors,
} from './CampaignBuilderForm.ts';
import { WindowFields, StrategyFields } from './CampaignBuilderStrategy.tsx';
import { TargetImages } from './CampaignBuilderTargets.tsx';
import { campaignKey } from './CampaignCommon.tsx';

function Builder({ campaign }: { campaign: CampaignDetail | null }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<CampaignForm>(() => (campaign ? formOf(campaign) : emptyForm()));
  const [errors, setErrors] = useState<FieldErrors>({});
  const set = (patch: Partial<CampaignForm>) => setForm((f) => ({ ...f, ...patch }));
  const matches = useFilterMatches(form);
  const selected = form.mode === 'ids' ? form.picked : matches.items;

  const save = useMutation({
    mutationFn: async ({ preview }: { preview: boolean }) => {
      const { body, errors: found } = toBody(form);
      setErrors(found);
      if (!body) return null;
      const saved = campaign
        ? await api.patch<CampaignDetail>(`/api/v1/campaigns/${campaign.id}`, body)
        : await api.post<CampaignDetail>('/api/v1/campaigns', body);
      let notice: string | null = null;
      if (preview) {
        // Saved either way: a preview that could not start is said on the campaign page, which offers it again.
        try {
          await api.post(`/api/v1/campaigns/${saved.id}/preview`);
        } catch (err) {
          notice = `Saved, but the preview did not start: ${friendlyError(err, 'the request failed')}`;
        }
      }
      return { saved, notice };
    },
    onSuccess: (result) => {
      if (!result) return;
      void queryClient.invalidateQueries({ queryKey: ['campaigns'] });
      navigate(`/campaigns/${result.saved.id}`, { state: result.notice ? { notice: result.notice } : null });
    },
    onError: (err) => {
      if (err instanceof ApiError) setErrors(serverFieldErrors(err));
    },
  });
  const submit = (e: FormEvent, preview: boolean) => {
    e.preventDefault();
    save.mutate({ preview });
  };
  const invalid = Object.keys(errors).length > 0 && !save.error;

  return (
    <section className="page campaign-builder">
      <div className="page-head">
        <div>
          <div className="crumbs">
            <Link to="/campaigns">Campaigns</Link> /{' '}
            {campaign && (
              <>
                <Link to={`/campaigns/${campaign.id}`}>{campaign.name}</Link> /
              </>
            )}
          </div>
          <h1>{campaign ? `Edit ${campaign.name}` : 'New campaign'}</h1>
          <p className="muted">
            {campaign && campaign.status !== 'DRAFT'
              ? 'Saving a change sends the campaign back for approval: an approved plan never changes.'
              : 'Saved as a draft. Preview the plan next: each device is checked, read-only, for what its upgrade would do.'}
          </p>
        </div>
      </div>
      <form className="cform" noValidate onSubmit={(e) => submit(e, false)}>
        <fieldset className="cform-section">
          <legend>Change</legend>
          <div className="cform-row">
            <Field label="Name" error={errors.name}>
              <input value={form.name} maxLength={200} onChange={(e) => set({ name: e.target.value })} />
            </Field>
            <Field label="Ticket" error={errors.ticket} hint="the change ticket: CHG0012345, JIRA-123…">
              <input value={form.ticket} maxLength={100} onChange={(e) => set({ ticket: e.target.value })} />
            </Field>
          </div>
          <Field label="Description" error={errors.description}>
            <textarea
              rows={2}
              maxLength={2000}
              value={form.description}
              onChange={(e) => set({ description: e.target.value })}
            />
          </Field>
        </fieldset>
        <DeviceSelection form={form} set={set} errors={errors} />
        <TargetImages form={form} set={set} devices={selected} error={errorAt(errors, 'targetImageIds')} />
        <WindowFields form={form} set={set} errors={errors} />
        <StrategyFields form={form} set={set} errors={errors} />
        {invalid && <Banner kind="error">Some fields need a change: see the messages beside them.</Banner>}
        {save.error && <Banner kind="error">{friendlyError(save.error, 'the campaign could not be saved')}</Banner>}
        <div className="actions cform-actions">
          <Link className="btn" to={campaign ? `/campaigns/${campaign.id}` : '/campaigns'}>
            Cancel
          </Link>
          <button type="submit" className="btn" disabled={save.isPending}>
            {campaign ? 'Save changes' : 'Save as draft'}
          </button>
          <button type="button" className="btn btn-primary" disabled={save.isPending} onClick={(e) => submit(e, true)}>
            {save.isPending ? 'Saving…' : 'Save and preview plan'}
          </button>
        </div>
      </form>
    </section>
  );
}

export function CampaignBuilderPage() {
  const { id } = useParams();
  const detail = useQuery({
    queryKey: campaignKey(id ?? ''),
    enabled: Boolean(id),
    queryFn: () => api.get<CampaignDetail>(`/api/v1/campaigns/${id}`),
  });
  if (!id) return <Builder campaign={null} />;
  if (detail.error)
    return (
      <section className="page">
        <Banner kind="error">{friendlyError(detail.error, 'could not load the campaign')}</Banner>
        <Link to="/campaigns">All campaigns</Link>
      </section>
    );
  if (!detail.data) return <section className="page muted">Loading…</section>;
  if (!detail.data.can.edit)
    return (
      <section className="page">
        <Banner kind="info">
          {detail.data.name} cannot be changed now ({detail.data.status.toLowerCase().replace('_', ' ')}).
        </Banner>
        <Link to={`/campaigns/${id}`}>Back to the campaign</Link>
      </section>
    );
  return <Builder key={id} campaign={detail.data} />;
}
