import type { IdentityResolvers, PointsLedgerEntryResolvers } from "../generated/graphql.ts";
import { identityStatus } from "../identity.ts";

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

export const Identity: IdentityResolvers = {
  status: (identity) => identityStatus(identity),
  documentNumberLast4: (identity) => identity.numberLast4,
  expiresOn: (identity) => isoDate(identity.expiresOn),
};

export const PointsLedgerEntry: PointsLedgerEntryResolvers = {
  // A reference stub: the gateway asks stores for the retailer's name.
  source: (entry) => (entry.sourceRetailerId ? { id: entry.sourceRetailerId } : null),
};
