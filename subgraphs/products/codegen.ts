import { subgraphCodegen } from "@o2o/runtime/codegen";

// Resolver types from schema.graphql; each type's parent is what the resolvers receive.
export default subgraphCodegen("ProductsContext", {
  Product: "./prisma/models.ts#ProductModel",
  Brand: "./prisma/models.ts#BrandModel",
  Category: "./prisma/models.ts#CategoryModel",
  ShelfScan: "../shelf-scan.ts#ShelfScanParent",
});
