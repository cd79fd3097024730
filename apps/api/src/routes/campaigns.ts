// Fleet campaigns: drafts, the preview, submission, the approver's decisions (plan and gates), the
// operator's pause / resume / abort, follow-ups and the report. Pause, resume and abort need
// `campaigns:write` (a route names one permission): an approver halts a campaign at its gate.
import {
  CampaignActionBody,
  CampaignCreate,
  CampaignDecision,
  CampaignDetail,
  CampaignGateParams,
  CampaignListQuery,
  CampaignPage,
  CampaignReport,
  CampaignReportQuery,
  CampaignUpdate,
  GateDecision,
  IdParams,
} from '@hitless/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../plugins/auth.ts';
import {
  abortCampaign,
  decideCampaign,
  decideGate,
  followUpCampaign,
  pauseCampaign,
  resumeCampaign,
} from '../services/campaign-actions.ts';
import { previewCampaign, submitCampaign } from '../services/campaign-plan.ts';
import { campaignReport, campaignReportCsv } from '../services/campaign-report.ts';
import type { CampaignContext, CampaignReader } from '../services/campaign-shared.ts';
import {
  createCampaign,
  deleteCampaign,
  getCampaignDetail,
  listCampaigns,
  updateCampaign,
} from '../services/campaigns.ts';
import { contextOf } from './context.ts';
import { AUTHED, errors } from './responses.ts';

export default async function campaignRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['campaigns'];
  const reader = (request: FastifyRequest): CampaignReader => {
    const p = principalOf(request);
    return { db: app.deps.db, caller: { userId: p.userId, role: p.role } };
  };
  const ctx = (request: FastifyRequest): CampaignContext => ({
    ...contextOf(request),
    caller: reader(request).caller,
    ticks: app.deps.campaignTicks,
    prechecks: app.deps.campaignPrechecks,
  });
  const write = { permission: 'campaigns:write' } as const;
  const approve = { permission: 'campaigns:approve' } as const;
  const action = (summary: string) => ({
    tags,
    summary,
    params: IdParams,
    body: CampaignActionBody,
    response: { 200: CampaignDetail, ...errors(400, 404, 409, ...AUTHED) },
  });

  app.get(
    '/campaigns',
    {
      schema: {
        tags,
        summary: 'Campaigns, newest first (awaiting=approval: those waiting for the caller’s decision)',
        querystring: CampaignListQuery,
        response: { 200: CampaignPage, ...errors(400, ...AUTHED) },
      },
    },
    async (request) => listCampaigns(reader(request), request.query),
  );

  app.post(
    '/campaigns',
    {
      config: write,
      schema: {
        tags,
        summary: 'Create a draft campaign',
        body: CampaignCreate,
        response: { 201: CampaignDetail, ...errors(400, 409, ...AUTHED) },
      },
    },
    async (request, reply) => reply.status(201).send(await createCampaign(ctx(request), request.body)),
  );

  app.get(
    '/campaigns/:id',
    {
      schema: {
        tags,
        summary: 'A campaign with its devices, plan and approvals',
        params: IdParams,
        response: { 200: CampaignDetail, ...errors(400, 404, ...AUTHED) },
      },
    },
    async (request) => getCampaignDetail(reader(request), request.params.id),
  );

  app.patch(
    '/campaigns/:id',
    {
      config: write,
      schema: {
        tags,
        summary: 'Edit a campaign; after submission it needs approval again (or a new preview, if its devices changed)',
        params: IdParams,
        body: CampaignUpdate,
        response: { 200: CampaignDetail, ...errors(400, 403, 404, 409, ...AUTHED) },
      },
    },
    async (request) => updateCampaign(ctx(request), request.params.id, request.body),
  );

  app.delete(
    '/campaigns/:id',
    {
      config: write,
      schema: {
        tags,
        summary: 'Delete a draft',
        params: IdParams,
        response: { 204: z.null(), ...errors(400, 404, 409, ...AUTHED) },
      },
    },
    async (request, reply) => {
      await deleteCampaign(ctx(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/campaigns/:id/preview',
    {
      config: write,
      schema: {
        ...action(
          'Resolve the selection and predict each device’s impact (read-only pre-checks run in the background)',
        ),
        response: { 202: CampaignDetail, ...errors(400, 404, 409, ...AUTHED) },
      },
    },
    async (request, reply) => reply.status(202).send(await previewCampaign(ctx(request), request.params.id)),
  );

  app.post(
    '/campaigns/:id/submit',
    { config: write, schema: action('Freeze the device list and the plan, and ask for approval') },
    async (request) => submitCampaign(ctx(request), request.params.id),
  );

  app.post(
    '/campaigns/:id/approval',
    {
      config: approve,
      schema: {
        tags,
        summary: 'Approve or reject the plan (never one’s own campaign), naming the plan hash reviewed',
        params: IdParams,
        body: CampaignDecision,
        response: { 200: CampaignDetail, ...errors(400, 403, 404, 409, ...AUTHED) },
      },
    },
    async (request) => decideCampaign(ctx(request), request.params.id, request.body),
  );

  app.post(
    '/campaigns/:id/gates/:wave',
    {
      config: approve,
      schema: {
        tags,
        summary: 'Open the gate after a wave, or halt the campaign there',
        params: CampaignGateParams,
        body: GateDecision,
        response: { 200: CampaignDetail, ...errors(400, 403, 404, 409, ...AUTHED) },
      },
    },
    async (request) => decideGate(ctx(request), request.params.id, request.params.wave, request.body),
  );

  app.post(
    '/campaigns/:id/pause',
    { config: write, schema: action('Pause: no new device run starts') },
    async (request) => pauseCampaign(ctx(request), request.params.id, request.body?.comment),
  );

  app.post(
    '/campaigns/:id/resume',
    { config: write, schema: action('Resume (runs start again while the window is open)') },
    async (request) => resumeCampaign(ctx(request), request.params.id, request.body?.comment),
  );

  app.post(
    '/campaigns/:id/abort',
    {
      config: write,
      schema: action('Abort: devices not started are skipped; runs in flight abort where they still can'),
    },
    async (request) => abortCampaign(ctx(request), request.params.id, request.body?.comment),
  );

  app.post(
    '/campaigns/:id/follow-up',
    {
      config: write,
      schema: {
        tags,
        summary: 'A new draft retrying the devices that failed, rolled back or were refused',
        params: IdParams,
        response: { 201: CampaignDetail, ...errors(400, 404, 409, ...AUTHED) },
      },
    },
    async (request, reply) => reply.status(201).send(await followUpCampaign(ctx(request), request.params.id)),
  );

  app.get(
    '/campaigns/:id/report',
    {
      schema: {
        tags,
        summary: 'The campaign report (JSON, or CSV with one row per device)',
        params: IdParams,
        querystring: CampaignReportQuery,
        produces: ['application/json', 'text/csv'],
        response: { 200: z.union([CampaignReport, z.string()]), ...errors(400, 404, ...AUTHED) },
      },
    },
    async (request, reply) => {
      const report = await campaignReport(reader(request), request.params.id);
      if (request.query.format === 'json') return report;
      const stamp = new Date().toISOString().slice(0, 10);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="hitless-campaign-${request.params.id}-${stamp}.csv"`)
        .send(campaignReportCsv(report));
    },
  );
}
