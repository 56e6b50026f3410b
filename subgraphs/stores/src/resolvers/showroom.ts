import type {
  MutationResolvers,
  ProductResolvers,
  ShowroomOfferResolvers,
  StockItemResolvers,
  StockTransferLineResolvers,
  StockTransferResolvers,
  StoreCheckInResolvers,
  StoreConversionResolvers,
  StoreResolvers,
  StoreVisitCountResolvers,
  TransferPopUpStockPayloadResolvers,
} from "../generated/graphql.ts";
import type { StoresContext } from "../context.ts";
import { conversionRate, storeConversion } from "../conversion.ts";
import { isDisplayOnly, showroomOffer, stockRowIsDisplay } from "../showroom-offer.ts";
import { findTransfer, transferPopUpStock } from "../transfers.ts";
import { checkInAtStore, recordStoreVisits } from "../visits.ts";

// Showrooms (display stock, "buy online", visits and conversion) and pop-up stock transfers: thin resolvers over
// showroom-offer.ts, visits.ts, conversion.ts and transfers.ts. index.ts merges them into the subgraph's resolvers.

const store = async (id: string, ctx: StoresContext) => (await ctx.loaders.storeById.load(id))!;

export const ShowroomStore: StoreResolvers = {
  displayOnly: (s) => isDisplayOnly(s),
  conversion: (s, args, ctx) => storeConversion(ctx, s, args),
};

export const ShowroomStockItem: StockItemResolvers = {
  displayOnly: (row, _, ctx) => stockRowIsDisplay(ctx, row),
};

export const ShowroomProduct: ProductResolvers = {
  showroomOffer: (product, args, ctx) => showroomOffer(ctx, product, args),
};

export const ShowroomMutation: MutationResolvers = {
  recordStoreVisits: (_, { input }, ctx) => recordStoreVisits(ctx, input),
  checkInAtStore: (_, { storeId }, ctx) => checkInAtStore(ctx, storeId),
  transferPopUpStock: (_, { input }, ctx) => transferPopUpStock(ctx, input),
};

export const ShowroomOffer: ShowroomOfferResolvers = {
  showroom: (offer) => offer.showroom,
};

export const StoreConversion: StoreConversionResolvers = {
  conversionRate: (figures) => conversionRate(figures),
};

export const StoreVisitCount: StoreVisitCountResolvers = {
  store: (row, _, ctx) => store(row.storeId, ctx),
};

export const StoreCheckIn: StoreCheckInResolvers = {
  store: (row, _, ctx) => store(row.storeId, ctx),
};

export const TransferPopUpStockPayload: TransferPopUpStockPayloadResolvers = {
  transfer: (answer, _, ctx) => (answer.transferId ? findTransfer(ctx, answer.transferId) : null),
};

export const StockTransfer: StockTransferResolvers = {
  from: (t, _, ctx) => store(t.fromStoreId, ctx),
  to: (t, _, ctx) => store(t.toStoreId, ctx),
};

export const StockTransferLine: StockTransferLineResolvers = {
  product: (line) => ({ id: line.productId }),
};
