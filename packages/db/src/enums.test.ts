// The Prisma schema declares every enum once; contracts mirror the ones the API and the browser
// speak as zod enums. This proves each mirror equals its source, value for value and in order,
// so no list of statuses is kept by hand in two places that can drift apart.
import * as contracts from '@hitless/contracts';
import { describe, expect, it } from 'vitest';
import * as prisma from './generated/enums.ts';

const MIRRORED = [
  'Role',
  'Vendor',
  'CompatLevel',
  'AcceptMode',
  'RunStatus',
  'ProcedureKind',
  'StepStatus',
  'DiscoveryStatus',
  'CampaignStatus',
  'CampaignDeviceState',
] as const;

describe('enums', () => {
  it.each(MIRRORED)('contracts.%s equals the Prisma enum', (name) => {
    const zodEnum = contracts[name] as { options: readonly string[] };
    expect(zodEnum.options).toEqual(Object.values(prisma[name]));
  });

  it('mirrors no enum that is not in the schema', () => {
    const schemaEnums = Object.keys(prisma);
    for (const name of MIRRORED) expect(schemaEnums).toContain(name);
  });
});
