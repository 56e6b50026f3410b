/**
 * What a store's format and capabilities mean for selling, for every subgraph that knows them (stores owns them;
 * payments learns them through store facts at checkout): one definition, so the rule cannot drift.
 */
export interface StoreKind {
  format: string;
  capabilities: readonly string[];
}

/** A SHOWROOM, or any store with the DISPLAY_ONLY capability: it shows products and never sells its stock. */
export const isDisplayOnlyStore = (store: StoreKind): boolean => store.format === "SHOWROOM" || store.capabilities.includes("DISPLAY_ONLY");
