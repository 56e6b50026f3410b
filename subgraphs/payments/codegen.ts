import { subgraphCodegen } from "@o2o/runtime/codegen";

// Resolver types from schema.graphql; each type's parent is what the resolvers receive.
export default subgraphCodegen("PaymentsContext", {
  Order: "./prisma/models.ts#CustomerOrderModel",
  OrderLine: "../parents.ts#OrderLineParent",
  Member: "../parents.ts#EntityRef",
  Product: "../parents.ts#EntityRef",
  Store: "../parents.ts#EntityRef",
  Retailer: "../parents.ts#EntityRef",
  Payment: "./prisma/models.ts#PaymentModel",
  Wallet: "../wallet.ts#WalletParent",
  PrepaidCard: "./prisma/models.ts#StoredValueAccountModel",
  IssuedPrepaidCard: "../wallet.ts#IssuedCardParent",
  CheckoutPayload: "../checkout.ts#CheckoutResult",
  PayOrderPayload: "../pay.ts#PayResult",
  CapturePaymentPayload: "../capture.ts#CaptureResult",
  CancelOrderPayload: "../refunds.ts#OrderResult",
  RefundOrderPayload: "../refunds.ts#OrderResult",
  WalletPayload: "../wallet.ts#WalletResult",
  IssuePrepaidCardPayload: "../wallet.ts#IssueResult",
});
