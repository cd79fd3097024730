// The run page's data: the run from the REST API, patched by the live events of its room in
// between fetches (steps, transcript chunks, syslog lines), and refetched whole on every
// (re)join, so what is shown is always what the API would answer.
import type {
  RunDetail,
  RunStep,
  RunUpdatedEvent,
  StepOutputEvent,
  StepUpdatedEvent,
  SyslogMessageEvent,
} from '@hitless/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api.ts';
import { useRoom } from '../live.tsx';
import { applyOutput, longer } from '../transcript.ts';

/** A missed transcript chunk is fetched after the worker has saved it (it saves every second). */
const GAP_REFETCH_MS = 1500;

export const runKey = (id: string) => ['runs', 'detail', id];

/** Fields of a run event after which the detail (pre-checks, operator actions) is read again. */
const DETAIL_FIELDS = ['acceptRequestedAt', 'abortRequestedAt', 'endedAt', 'status'] as const;

/** The run's room also carries the device's syslog lines matched to the run. */
export function useRun(id: string, syslog: { onEvent: (event: SyslogMessageEvent) => unknown; refetch: () => void }) {
  const queryClient = useQueryClient();
  const key = runKey(id);
  const query = useQuery({
    queryKey: key,
    queryFn: () => api.get<RunDetail>(`/api/v1/runs/${id}`),
    staleTime: Infinity,
  });
  /** Transcript text that arrived live, ahead of what the last fetch returned. */
  const [live, setLive] = useState<Record<string, string>>({});
  const gapTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const refetch = useCallback(() => void queryClient.invalidateQueries({ queryKey: runKey(id) }), [queryClient, id]);
  const refetchSoon = useCallback(() => {
    if (gapTimer.current) return;
    gapTimer.current = setTimeout(() => {
      gapTimer.current = undefined;
      refetch();
    }, GAP_REFETCH_MS);
  }, [refetch]);
  useEffect(() => () => clearTimeout(gapTimer.current), []);

  const fetched = (stepId: string) =>
    queryClient.getQueryData<RunDetail>(key)?.steps.find((s) => s.id === stepId)?.transcript;

  useRoom(
    `run:${id}`,
    {
      'run.updated': ({ run }: RunUpdatedEvent) => {
        if (run.id !== id) return;
        const old = queryClient.getQueryData<RunDetail>(key);
        queryClient.setQueryData<RunDetail>(key, (prev) => (prev ? { ...prev, ...run } : prev));
        // Pre-check verdicts and the operators' accepts and aborts (with their comments) are
        // part of the detail only: read it again when the run says they may have changed.
        if (!old?.prechecks || DETAIL_FIELDS.some((f) => old[f] !== run[f])) refetch();
      },
      'step.updated': ({ runId, step }: StepUpdatedEvent) => {
        if (runId !== id) return;
        const { transcriptLength, ...rest } = step;
        let known = false;
        queryClient.setQueryData<RunDetail>(key, (old) => {
          if (!old) return old;
          known = true;
          const existing = old.steps.find((s) => s.id === step.id);
          const merged: RunStep = { ...rest, transcript: existing?.transcript ?? '' };
          const steps = existing
            ? old.steps.map((s) => (s.id === step.id ? merged : s))
            : [...old.steps, merged].sort((a, b) => a.seq - b.seq);
          return { ...old, steps };
        });
        const have = longer(live[step.id], fetched(step.id)).length;
        if (!known || (step.endedAt && have < transcriptLength)) refetchSoon();
      },
      'step.output': ({ runId, stepId, offset, text }: StepOutputEvent) => {
        if (runId !== id) return;
        setLive((prev) => {
          const next = applyOutput(longer(prev[stepId], fetched(stepId)), offset, text);
          if (next === null) {
            refetchSoon();
            return prev;
          }
          return { ...prev, [stepId]: next };
        });
      },
      'syslog.message': (event: SyslogMessageEvent) => syslog.onEvent(event),
    },
    () => {
      refetch();
      syslog.refetch();
    },
  );

  const transcriptOf = (step: RunStep) => longer(live[step.id], step.transcript);
  return { query, transcriptOf, refetch };
}

/** This browser's clock minus the server's, from the serverTime of the last response. */
export function clockSkew(serverTime: string | undefined, receivedAt: number): number {
  return serverTime ? receivedAt - Date.parse(serverTime) : 0;
}
