-- Partner API keys: only the SHA-256 of a key is kept; the prefix names it in logs and lists.
CREATE TYPE "stores"."RateLimitTier" AS ENUM ('FREE', 'STANDARD', 'PLUS', 'ENTERPRISE');

CREATE TABLE "stores"."api_key" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "retailer_id" UUID,
    "scopes" TEXT[] NOT NULL,
    "tier" "stores"."RateLimitTier" NOT NULL DEFAULT 'STANDARD',
    "safelist_only" BOOLEAN NOT NULL DEFAULT false,
    "expires_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rotated_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    CONSTRAINT "api_key_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "api_key_prefix_key" ON "stores"."api_key"("prefix");
CREATE UNIQUE INDEX "api_key_secret_hash_key" ON "stores"."api_key"("secret_hash");
CREATE INDEX "api_key_retailer_id_created_at_id_idx" ON "stores"."api_key"("retailer_id", "created_at", "id");
ALTER TABLE "stores"."api_key" ADD CONSTRAINT "api_key_retailer_id_fkey" FOREIGN KEY ("retailer_id") REFERENCES "stores"."retailer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
