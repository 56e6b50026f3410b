import type { OrderLineModel } from "./generated/prisma/models.ts";

/** A reference to an entity another subgraph owns (Member, Product, Store): the gateway fetches the rest. */
export interface EntityRef {
  id: string;
}

/** An order line as resolvers see it: the row plus its order's currency (for `Money`), added without SQL. */
export type OrderLineParent = OrderLineModel & { currency: string };
