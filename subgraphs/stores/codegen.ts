import { subgraphCodegen } from "@o2o/runtime/codegen";

// Resolver types from schema.graphql; each type's parent is what the resolvers receive.
export default subgraphCodegen("StoresContext", {
  Retailer: "./prisma/models.ts#RetailerModel",
  Store: "./prisma/models.ts#StoreModel",
  OpeningHours: "./prisma/models.ts#OpeningHoursModel",
  StockItem: "./prisma/models.ts#StockModel",
  StockLevel: "./prisma/models.ts#StockModel",
  StoreAvailability: "../availability.ts#AvailabilityRow",
  Product: "../availability.ts#ProductRef",
  StockReservation: "../reservations.ts#ReservationAnswer",
  ApiKey: "./prisma/models.ts#ApiKeyModel",
  ShelfScan: "../shelf-scan.ts#ShelfScanParent",
});
