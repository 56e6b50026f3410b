import { parseId } from "@o2o/runtime";
import { adjustStock, recordStockCount, storeAdjustments } from "../adjustments.ts";
import { assortmentAdvice } from "../assortment.ts";
import type { StoresContext } from "../context.ts";
import type {
  AdjustStockPayloadResolvers,
  AssortmentAdviceResolvers,
  AssortmentSuggestionResolvers,
  MutationResolvers,
  RecordStockCountPayloadResolvers,
  ReplenishmentOrderLineResolvers,
  ReplenishmentOrderPayloadResolvers,
  ReplenishmentOrderResolvers,
  RetailerResolvers,
  RunningLowProductResolvers,
  StockAdjustmentResolvers,
  StockCountLineResolvers,
  StockCountResolvers,
  StoreResolvers,
} from "../generated/graphql.ts";
import { answerOrder, orderNumber, placeReplenishmentOrder, storeReplenishmentOrders, updateReplenishmentOrder } from "../replenishment.ts";

// Independent stores (issue 6): retailer kind, stock adjustments and counts, replenishment orders, assortment advice.
// Thin resolvers over adjustments.ts, replenishment.ts and assortment.ts; index.ts merges them in.

const store = async (id: string, ctx: StoresContext) => (await ctx.loaders.storeById.load(id))!;
const product = (productId: string) => ({ id: productId });
const money = (amount: number, currency: string) => ({ amount, currency });

export const IndependentRetailer: RetailerResolvers = {
  kind: (r) => r.kind,
};

export const IndependentStore: StoreResolvers = {
  floorAreaM2: (s) => s.floorAreaM2,
  stockAdjustments: (s, args, ctx) => storeAdjustments(ctx, s, args),
  replenishmentOrders: (s, args, ctx) => storeReplenishmentOrders(ctx, s, args),
  assortmentAdvice: (s, args, ctx) => assortmentAdvice(ctx, s, args),
};

export const IndependentMutation: MutationResolvers = {
  adjustStock: (_, { input }, ctx) => adjustStock(ctx, input),
  recordStockCount: (_, { input }, ctx) => recordStockCount(ctx, input),
  placeReplenishmentOrder: (_, { input }, ctx) => placeReplenishmentOrder(ctx, input),
  updateReplenishmentOrder: (_, { input }, ctx) => updateReplenishmentOrder(ctx, input),
};

export const StockAdjustment: StockAdjustmentResolvers = {
  store: (a, _, ctx) => store(a.storeId, ctx),
  product: (a) => product(a.productId),
  recordedByKeyId: (a) => a.keyId,
  replenishmentOrder: (a, _, ctx) => (a.replenishmentOrderId ? ctx.loaders.replenishmentOrderById.load(a.replenishmentOrderId) : null),
};

export const AdjustStockPayload: AdjustStockPayloadResolvers = {
  adjustment: (answer, _, ctx) => (answer.adjustmentId ? ctx.prisma.stockAdjustment.findUnique({ where: { id: parseId(answer.adjustmentId) } }) : null),
  stockItem: (answer, _, ctx) => (answer.storeId && answer.productId ? ctx.loaders.stockLevel.load({ storeId: answer.storeId, productId: answer.productId }) : null),
};

export const RecordStockCountPayload: RecordStockCountPayloadResolvers = {
  stockCount: (answer) => answer.stockCount,
};

export const StockCount: StockCountResolvers = {
  store: (c, _, ctx) => store(c.storeId, ctx),
  adjustments: (c, _, ctx) => ctx.prisma.stockAdjustment.findMany({ where: { countId: c.id }, orderBy: { productId: "asc" } }),
};

export const StockCountLine: StockCountLineResolvers = {
  product: (l) => product(l.productId),
};

export const ReplenishmentOrder: ReplenishmentOrderResolvers = {
  number: (o) => orderNumber(o.number),
  store: (o, _, ctx) => store(o.storeId, ctx),
  lines: (o) => o.lines.map((l) => ({ ...l, currency: o.currency })),
  total: (o) => money(o.totalAmount, o.currency),
  expectedDeliveryOn: (o) => o.expectedDeliveryOn.toISOString().slice(0, 10),
};

export const ReplenishmentOrderLine: ReplenishmentOrderLineResolvers = {
  product: (l) => product(l.productId),
  unitCost: (l) => money(l.unitCostAmount, l.currency),
  total: (l) => money(l.unitCostAmount * l.quantity, l.currency),
};

export const ReplenishmentOrderPayload: ReplenishmentOrderPayloadResolvers = {
  replenishmentOrder: (answer, _, ctx) => answerOrder(ctx, answer),
};

export const AssortmentAdvice: AssortmentAdviceResolvers = {
  comparedStores: async (a, _, ctx) => (await ctx.loaders.storeById.loadMany(a.comparedStoreIds)).flatMap((s) => (s && !(s instanceof Error) ? [s] : [])),
};

export const AssortmentSuggestion: AssortmentSuggestionResolvers = {
  product: (s) => product(s.productId),
};

export const RunningLowProduct: RunningLowProductResolvers = {
  product: (r) => product(r.productId),
};
