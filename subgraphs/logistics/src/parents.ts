/** A reference to an entity another subgraph owns (Store, Order): the gateway fetches the rest. */
export interface EntityRef {
  id: string;
}

/** A pickup slot as resolvers see it: computed from a plan and the bookings into it (there is no slot table). */
export interface SlotParent {
  storeId: string;
  startsAt: Date;
  endsAt: Date;
  capacity: number;
  /** Non-cancelled fulfilments booked into the slot. */
  booked: number;
}
