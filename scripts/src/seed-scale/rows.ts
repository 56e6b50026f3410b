import { HOURS_BY_FORMAT } from "@o2o/stores/seed";
import { SLOT_RULES } from "@o2o/logistics/seed";
import { scaleId } from "./ids.ts";
import { storePlaces } from "./places.ts";
import { PRODUCTS, SCALE_CATEGORIES, scaleCategorySlug, scaleSku, STORES, STORES_PER_PRODUCT } from "./shape.ts";

/**
 * The rows of the scale data set as COPY text (tab-separated, one row per line), generated lazily in chunks of
 * about 256 kB so 10 M rows never sit in memory at once. Each generator calls `tick(rows so far)` for the bar.
 * No value contains a tab, newline or backslash, so nothing needs escaping.
 */

export type Tick = (rows: number) => void;
export interface TableRows {
  /** Schema-qualified table, e.g. `"stores"."stock"`. */
  table: string;
  columns: string[];
  total: number;
  rows(tick: Tick): Iterable<string>;
}

const CHUNK_CHARS = 256 * 1024;

/** Joins the blocks `block(0) … block(count - 1)` (each some lines, with how many rows they hold) into chunks. */
function* chunkedBlocks(count: number, block: (i: number) => [text: string, rows: number], tick: Tick): Iterable<string> {
  let chunk = "";
  let done = 0;
  for (let i = 0; i < count; i++) {
    const [text, rows] = block(i);
    chunk += text;
    done += rows;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = "";
      tick(done);
    }
  }
  if (chunk) yield chunk;
  tick(done);
}

/** Joins the lines `line(0) … line(total - 1)` into chunks. */
const chunked = (total: number, line: (i: number) => string, tick: Tick): Iterable<string> => chunkedBlocks(total, (i) => [line(i), 1], tick);

const BRANDS = 200;
const RETAILERS = 20;
/** Product i is stocked in stores (i + m · STOCK_STRIDE) mod STORES, m = 0 … 9: ten distinct, scattered stores. */
const STOCK_STRIDE = 1009;

export const brands: TableRows = {
  table: `"products"."brand"`,
  columns: ["id", "name"],
  total: BRANDS,
  rows: (tick) => chunked(BRANDS, (b) => `${scaleId("brand", b)}\tScale Brand ${String(b).padStart(3, "0")}\n`, tick),
};

export const categories: TableRows = {
  table: `"products"."category"`,
  columns: ["id", "slug", "name"],
  total: SCALE_CATEGORIES,
  rows: (tick) => chunked(SCALE_CATEGORIES, (c) => `${scaleId("category", c)}\t${scaleCategorySlug(c)}\tScale Category ${String(c).padStart(2, "0")}\n`, tick),
};

const ADJECTIVES = ["Classic", "Premium", "Organic", "Compact", "Deluxe", "Travel", "Limited", "Everyday", "Smart", "Artisan", "Seasonal", "Pro"];
const NOUNS = ["Green Tea", "Face Serum", "Rice Cooker", "Wristwatch", "Umbrella", "Sencha", "Headphones", "Tote Bag", "Mochi", "Kettle", "Sneakers", "Notebook", "Hand Cream", "Ramen Kit"];
const TEMPERATURES = ["AMBIENT", "AMBIENT", "AMBIENT", "AMBIENT", "AMBIENT", "AMBIENT", "AMBIENT", "AMBIENT", "CHILLED", "FROZEN"];

/** An EAN-13 in the in-store range 20…: "20" + 10 digits of the index + the check digit. */
function barcode(i: number): string {
  const body = `20${String(i).padStart(10, "0")}`;
  let sum = 0;
  for (let k = 0; k < 12; k++) sum += Number(body[k]) * (k % 2 === 0 ? 1 : 3);
  return `${body}${(10 - (sum % 10)) % 10}`;
}

export const products: TableRows = {
  table: `"products"."product"`,
  columns: ["id", "sku", "name", "description", "brand_id", "category_id", "barcode", "price_amount", "price_currency", "tax_free_eligible", "cross_border", "temperature_class"],
  total: PRODUCTS,
  rows: (tick) =>
    chunked(
      PRODUCTS,
      (i) => {
        const name = `${ADJECTIVES[i % ADJECTIVES.length]} ${NOUNS[(i >> 2) % NOUNS.length]} ${i}`;
        const price = 100 + ((i * 7919) % 500) * 100;
        return `${scaleId("product", i)}\t${scaleSku(i)}\t${name}\t${name}, scale catalogue.\t${scaleId("brand", (i * 31) % BRANDS)}\t${scaleId("category", i % SCALE_CATEGORIES)}\t${barcode(i)}\t${price}\tJPY\t${i % 3 === 0 ? "t" : "f"}\t${i % 17 === 0 ? "t" : "f"}\t${TEMPERATURES[i % TEMPERATURES.length]}\n`;
      },
      tick,
    ),
};

/** Retailer r runs stores of one format: more convenience chains and supermarkets than department stores. */
const RETAILER_FORMATS = ["CONVENIENCE", "SUPERMARKET", "CONVENIENCE", "DEPARTMENT_STORE", "SUPERMARKET", "FLAGSHIP", "CONVENIENCE", "SUPERMARKET", "CONVENIENCE", "FLAGSHIP"] as const;
type ShelfFormat = (typeof RETAILER_FORMATS)[number];
const KIND_OF: Record<ShelfFormat, string> = { CONVENIENCE: "CONVENIENCE", SUPERMARKET: "SUPERMARKET", DEPARTMENT_STORE: "DEPARTMENT_STORE", FLAGSHIP: "BRAND" };
// Every scale store sells off the shelf and hands over pickups; all hold chilled and frozen goods.
const CAPABILITIES: Record<ShelfFormat, string> = {
  CONVENIENCE: "{PICKUP,CHILLED_STORAGE,FROZEN_STORAGE}",
  SUPERMARKET: "{PICKUP,CHILLED_STORAGE,FROZEN_STORAGE,HOME_DELIVERY}",
  DEPARTMENT_STORE: "{TAX_FREE,PICKUP,CHILLED_STORAGE,FROZEN_STORAGE}",
  FLAGSHIP: "{TAX_FREE,PICKUP,CHILLED_STORAGE,FROZEN_STORAGE}",
};
const FLOOR_AREA: Record<ShelfFormat, number> = { CONVENIENCE: 120, SUPERMARKET: 1500, DEPARTMENT_STORE: 20000, FLAGSHIP: 800 };
const formatOf = (store: number): ShelfFormat => RETAILER_FORMATS[(store % RETAILERS) % RETAILER_FORMATS.length]!;
const retailerName = (r: number) => `Scale Retail ${String(r).padStart(2, "0")}`;

export const retailers: TableRows = {
  table: `"stores"."retailer"`,
  columns: ["id", "name", "kind"],
  total: RETAILERS,
  rows: (tick) => chunked(RETAILERS, (r) => `${scaleId("retailer", r)}\t${retailerName(r)}\t${KIND_OF[formatOf(r)]}\n`, tick),
};

export function stores(): TableRows {
  const places = storePlaces(STORES);
  return {
    table: `"stores"."store"`,
    columns: ["id", "retailer_id", "name", "format", "address_line1", "city", "country", "lat", "lng", "time_zone", "capabilities", "floor_area_m2"],
    total: STORES,
    rows: (tick) =>
      chunked(
        STORES,
        (j) => {
          const r = j % RETAILERS;
          const format = formatOf(j);
          const place = places[j]!;
          return `${scaleId("store", j)}\t${scaleId("retailer", r)}\t${retailerName(r)} ${place.city} #${j}\t${format}\t${(j % 9) + 1}-${(j % 23) + 1}-${(j % 31) + 1} Chuo\t${place.city}\tJP\t${place.lat}\t${place.lng}\tAsia/Tokyo\t${CAPABILITIES[format]}\t${FLOOR_AREA[format]}\n`;
        },
        tick,
      ),
  };
}

export const openingHours: TableRows = {
  table: `"stores"."opening_hours"`,
  columns: ["store_id", "day_of_week", "opens", "closes"],
  total: STORES * 7,
  rows: (tick) =>
    chunked(
      STORES * 7,
      (k) => {
        const { opens, closes } = HOURS_BY_FORMAT[formatOf(Math.floor(k / 7))];
        return `${scaleId("store", Math.floor(k / 7))}\t${(k % 7) + 1}\t${opens}\t${closes}\n`;
      },
      tick,
    ),
};

/** Pickup slot plans (logistics): every store, every weekday, the slots its format's rule gives. */
export function slotPlans(): TableRows {
  const hh = (h: number) => `${String(h).padStart(2, "0")}:00:00`;
  const startsOf = (format: ShelfFormat) => {
    const rule = SLOT_RULES[format];
    const starts: number[] = [];
    if (rule) for (let h = rule.from; h + rule.every <= rule.until; h += rule.every) starts.push(h);
    return { rule, starts };
  };
  const perStore = (j: number) => startsOf(formatOf(j)).starts.length * 7;
  let total = 0;
  for (let j = 0; j < STORES; j++) total += perStore(j);
  return {
    table: `"logistics"."pickup_slot_plan"`,
    columns: ["id", "store_id", "weekday", "start_time", "end_time", "capacity", "time_zone"],
    total,
    rows: (tick) =>
      chunkedBlocks(
        STORES,
        (j) => {
          const { rule, starts } = startsOf(formatOf(j));
          let text = "";
          if (rule)
            for (let weekday = 1; weekday <= 7; weekday++)
              starts.forEach((h, s) => {
                text += `${scaleId("slotPlan", (j * 8 + weekday) * 32 + s)}\t${scaleId("store", j)}\t${weekday}\t${hh(h)}\t${hh(h + rule.every)}\t${rule.capacity}\tAsia/Tokyo\n`;
              });
          return [text, perStore(j)];
        },
        tick,
      ),
  };
}

/** Units on the shelf: about one pair in eight is out of stock (0), the rest 1–40; the sample pair is always in stock. */
function quantity(store: number, product: number): number {
  if (store === 0 && product === 0) return 12;
  const h = Math.imul(store * 2654435761 + product, 0x9e3779b1) >>> 0;
  return (h >>> 29) === 0 ? 0 : 1 + (h % 40);
}

/**
 * Stock, STORES_PER_PRODUCT stores per product, generated store by store and within a store in product order:
 * rows arrive in primary-key (store_id, product_id) order. Store j holds the products i ≡ j − m · STOCK_STRIDE
 * (mod STORES) for m = 0 … 9.
 */
export const stock: TableRows = {
  table: `"stores"."stock"`,
  columns: ["store_id", "product_id", "quantity"],
  total: PRODUCTS * STORES_PER_PRODUCT,
  rows: (tick) => {
    const held = new Uint32Array((PRODUCTS / STORES) * STORES_PER_PRODUCT);
    return chunkedBlocks(
      STORES,
      (j) => {
        let n = 0;
        for (let m = 0; m < STORES_PER_PRODUCT; m++) {
          const residue = (((j - m * STOCK_STRIDE) % STORES) + STORES) % STORES;
          for (let i = residue; i < PRODUCTS; i += STORES) held[n++] = i;
        }
        held.sort();
        const storeId = scaleId("store", j);
        let text = "";
        for (let k = 0; k < n; k++) text += `${storeId}\t${scaleId("product", held[k]!)}\t${quantity(j, held[k]!)}\n`;
        return [text, n];
      },
      tick,
    );
  },
};
