import { forbidden, isId, isService } from "@o2o/runtime";
import type { MutationResolvers } from "../generated/graphql.ts";
import { release, reserveStock } from "../reservations.ts";
import { parseGeoPoint } from "../geo.ts";

const onlyPayments = (caller: Parameters<typeof isService>[0]) => {
  if (!isService(caller, "payments")) throw forbidden("Only the payments service reserves stock.");
};

export const Mutation: MutationResolvers = {
  reserveStock: (_, args, ctx) => {
    onlyPayments(ctx.caller);
    return reserveStock(ctx, args.orderId, args.lines, args.deliverTo ? parseGeoPoint(args.deliverTo, "deliverTo") : null, args.ttlSeconds ?? 900);
  },
  releaseStock: async (_, { orderId }, ctx) => {
    onlyPayments(ctx.caller);
    if (!isId(orderId)) return true;
    const released = await ctx.prisma.$transaction((tx) => release(tx, orderId.toLowerCase(), "CANCELLED", ["HELD"]));
    if (released) ctx.kick();
    return true;
  },
};
