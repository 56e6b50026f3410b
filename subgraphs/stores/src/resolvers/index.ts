import { DateScalar, DateTimeScalar } from "@o2o/runtime";
import type { Resolvers } from "../generated/graphql.ts";
import { ApiKey } from "./api-key.ts";
import { Product } from "./product.ts";
import { Mutation } from "./mutation.ts";
import { Query } from "./query.ts";
import { Retailer } from "./retailer.ts";
import { ShelfScan } from "./shelf-scan.ts";
import * as independent from "./independent.ts";
import * as showroom from "./showroom.ts";
import { StockItem, StockLevel, StoreAvailability } from "./stock.ts";
import { Store } from "./store.ts";

export const resolvers: Resolvers = { Date: DateScalar, DateTime: DateTimeScalar, Query, Mutation, Retailer, Store, Product, StoreAvailability, StockLevel, StockItem, ApiKey, ShelfScan };

// Showrooms and pop-up transfers (showroom.ts): their fields join the types above, their types are their own.
resolvers.Store = { ...resolvers.Store, ...showroom.ShowroomStore };
resolvers.StockItem = { ...resolvers.StockItem, ...showroom.ShowroomStockItem };
resolvers.Product = { ...resolvers.Product, ...showroom.ShowroomProduct };
resolvers.Mutation = { ...resolvers.Mutation, ...showroom.ShowroomMutation };
Object.assign(resolvers, {
  ShowroomOffer: showroom.ShowroomOffer,
  StoreConversion: showroom.StoreConversion,
  StoreVisitCount: showroom.StoreVisitCount,
  StoreCheckIn: showroom.StoreCheckIn,
  TransferPopUpStockPayload: showroom.TransferPopUpStockPayload,
  StockTransfer: showroom.StockTransfer,
  StockTransferLine: showroom.StockTransferLine,
} satisfies Resolvers);

// Independent stores (independent.ts): retailer kind, stock adjustments and counts, replenishment orders, assortment advice.
resolvers.Retailer = { ...resolvers.Retailer, ...independent.IndependentRetailer };
resolvers.Store = { ...resolvers.Store, ...independent.IndependentStore };
resolvers.Mutation = { ...resolvers.Mutation, ...independent.IndependentMutation };
Object.assign(resolvers, {
  StockAdjustment: independent.StockAdjustment,
  AdjustStockPayload: independent.AdjustStockPayload,
  RecordStockCountPayload: independent.RecordStockCountPayload,
  StockCount: independent.StockCount,
  StockCountLine: independent.StockCountLine,
  ReplenishmentOrder: independent.ReplenishmentOrder,
  ReplenishmentOrderLine: independent.ReplenishmentOrderLine,
  ReplenishmentOrderPayload: independent.ReplenishmentOrderPayload,
  AssortmentAdvice: independent.AssortmentAdvice,
  AssortmentSuggestion: independent.AssortmentSuggestion,
  RunningLowProduct: independent.RunningLowProduct,
} satisfies Resolvers);
