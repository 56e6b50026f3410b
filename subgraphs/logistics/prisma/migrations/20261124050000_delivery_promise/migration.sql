-- HOME_DELIVERY fulfilments record the window promised at checkout.
ALTER TABLE "logistics"."fulfillment" ADD COLUMN "promised_earliest" TIMESTAMPTZ(3),
                                      ADD COLUMN "promised_latest" TIMESTAMPTZ(3);
