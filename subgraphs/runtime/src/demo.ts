import { seedId } from "./ids.ts";

/**
 * The demo world every subgraph seeds its own part of. Only keys and facts several owners need
 * live here; each subgraph's `seed.ts` writes just its own tables. IDs come from `seedId`, so they
 * are the same in every subgraph, on every machine, on every run.
 *
 * The story (see ../../../shared/seeds): Tokyo, where tourists order ahead and pick up tax-free
 * with a passport; a department-store chain whose loyalty club merged with partners'; supermarkets
 * and convenience stores that hold chilled pickups; a display-only showroom; a service centre;
 * pop-ups with dates.
 */
export type Temperature = "AMBIENT" | "CHILLED" | "FROZEN";

export interface DemoProduct {
  sku: string;
  name: string;
  brand: string;
  category: string;
  price: number; // JPY minor units (yen)
  taxFree: boolean;
  crossBorder: boolean;
  temperature: Temperature;
}

const LINES: [brand: string, category: string, temperature: Temperature, taxFree: boolean, crossBorder: boolean, items: [string, number][]][] = [
  ["Hanami Cosmetics", "cosmetics", "AMBIENT", true, false, [["Sakura Lip Tint", 2200], ["Camellia Cleansing Oil", 3300], ["Rice Bran Face Mask (10)", 1650], ["Silk Foundation", 4950], ["Yuzu Hand Cream", 1320], ["UV Milk SPF50+", 2750], ["Matcha Eye Serum", 6050], ["Pearl Toner", 3850]]],
  ["Kumo Skin", "cosmetics", "AMBIENT", true, true, [["Hyaluronic Essence", 5500], ["Ceramide Night Cream", 7700], ["Gentle Foam Wash", 1540], ["Vitamin C Drops", 4180], ["Sheet Mask Trial Set", 2090], ["Barrier Mist", 2640]]],
  ["Sora Audio", "electronics", "AMBIENT", true, false, [["Noise-Cancelling Earbuds", 29800], ["Travel Headphones", 34800], ["Pocket Speaker", 12800], ["Studio Monitor Headphones", 19800], ["USB-C Charging Dock", 6980], ["Bone-Conduction Headset", 15800]]],
  ["Tokei Works", "watches", "AMBIENT", true, false, [["Solar Field Watch", 38500], ["Titanium Chronograph", 88000], ["Kids Digital Watch", 5500], ["Automatic Diver", 66000], ["Slim Quartz Dress Watch", 27500]]],
  ["Kitchen Nakano", "home", "AMBIENT", true, false, [["Santoku Knife 165mm", 14300], ["Rice Cooker 3-cup", 21780], ["Cast Iron Teapot", 8800], ["Bamboo Bento Box", 3300], ["Ceramic Sake Set", 5940], ["Whetstone #1000/#6000", 4620]]],
  ["Hokkaido Dairy", "chilled-food", "CHILLED", false, false, [["Milk Pudding (3)", 540], ["Cheese Tart (6)", 1980], ["Drinking Yogurt 900ml", 430], ["Fresh Cream Roll Cake", 1620], ["Butter Sand (5)", 1350]]],
  ["Mochi House", "frozen-food", "FROZEN", false, false, [["Mochi Ice Vanilla (6)", 860], ["Matcha Mochi Ice (6)", 920], ["Frozen Gyoza (30)", 1080], ["Taiyaki Custard (4)", 760]]],
  ["Ocean Table", "chilled-food", "CHILLED", false, false, [["Salmon Onigiri Set", 680], ["Sushi Platter for 2", 3240], ["Seaweed Salad", 420], ["Tamagoyaki", 380]]],
  ["Nippon Snack Co.", "snacks", "AMBIENT", true, false, [["Matcha KitKat Box", 1080], ["Tokyo Banana (8)", 1296], ["Rice Crackers Assortment", 1620], ["Green Tea Tin 100g", 2160], ["Yuzu Candy", 432], ["Black Sesame Cookies", 864]]],
  ["Atelier Ginza", "fashion", "AMBIENT", true, true, [["Cashmere Scarf", 24200], ["Leather Card Case", 13200], ["Silk Furoshiki", 8800], ["Canvas Tote", 6600], ["Wool Beanie", 4400], ["Denim Jacket Selvedge", 39600], ["Linen Shirt", 15400], ["Leather Loafers", 46200]]],
  ["Kids Hikari", "toys", "AMBIENT", true, false, [["Wooden Train Set", 7480], ["Origami Kit", 1320], ["Plush Shiba", 2750], ["Building Blocks 300", 5280]]],
];

function skuPrefix(brand: string): string {
  return brand.replace(/[^A-Za-z]/g, "").slice(0, 3).toUpperCase();
}

/** EAN-13 (JAN) barcode with a valid check digit, from a running number. */
function jan(n: number): string {
  const body = `490${String(100000000 + n * 7919).slice(-9)}`;
  const sum = [...body].reduce((acc, d, i) => acc + Number(d) * (i % 2 === 0 ? 1 : 3), 0);
  return body + String((10 - (sum % 10)) % 10);
}

export const DEMO_PRODUCTS: (DemoProduct & { barcode: string })[] = LINES.flatMap(([brand, category, temperature, taxFree, crossBorder, items]) =>
  items.map(([name, price], i) => ({ sku: `${skuPrefix(brand)}-${String(i + 1).padStart(3, "0")}`, name, brand, category, price, taxFree, crossBorder, temperature })),
).map((p, i) => ({ ...p, barcode: jan(i + 1) }));

export type StoreFormat = "FLAGSHIP" | "DEPARTMENT_STORE" | "SUPERMARKET" | "CONVENIENCE" | "POP_UP" | "SHOWROOM" | "SERVICE_CENTRE" | "PICKUP_POINT";
export type Capability = "TAX_FREE" | "PICKUP" | "CHILLED_STORAGE" | "FROZEN_STORAGE" | "SERVICES" | "DISPLAY_ONLY" | "HOME_DELIVERY" | "CHECKOUT_FREE";

/** What kind of business a retailer is (stores' `Retailer.kind`). INDEPENDENT shops reorder stock from the platform. */
export type RetailerKind = "CHAIN" | "DEPARTMENT_STORE" | "SUPERMARKET" | "CONVENIENCE" | "BRAND" | "SERVICES" | "INDEPENDENT";

export interface DemoRetailer {
  key: string;
  name: string;
  /** The retailer's loyalty club, if it runs one (members subgraph). */
  club: string | null;
  kind: RetailerKind;
}

export const DEMO_RETAILERS: DemoRetailer[] = [
  { key: "hoshi", name: "Hoshi Downtown Tax-Free", club: null, kind: "CHAIN" },
  { key: "meridian", name: "Meridian Department Stores", club: "Meridian Club", kind: "DEPARTMENT_STORE" },
  { key: "freshway", name: "FreshWay Supermarkets", club: "FreshWay Points", kind: "SUPERMARKET" },
  { key: "corner24", name: "Corner24", club: null, kind: "CONVENIENCE" },
  { key: "lumen", name: "Lumen Cross-Border", club: null, kind: "BRAND" },
  { key: "carehub", name: "CareHub Services", club: null, kind: "SERVICES" },
  // Independent shops on the platform (issue 6): they reorder stock from it and hand over neighbours' online orders.
  { key: "yamada", name: "Yamada Shoten", club: null, kind: "INDEPENDENT" },
  { key: "sato", name: "Sato Fresh", club: null, kind: "INDEPENDENT" },
];

export interface DemoStore {
  key: string;
  retailer: string;
  name: string;
  format: StoreFormat;
  lat: number;
  lng: number;
  address: string;
  capabilities: Capability[];
  /** Sales floor in square metres: "stores of similar size" compare it (assortment advice). */
  floorAreaM2: number;
  /** A fixed assortment (SKU → units on hand) instead of the generated demo stock (independent shops). */
  stock?: Record<string, number>;
  /** Pop-ups only: first and last open day (inclusive, ISO dates). */
  opens?: string;
  closes?: string;
}

const TF: Capability[] = ["TAX_FREE", "PICKUP"];
export const DEMO_STORES: DemoStore[] = [
  { key: "hoshi-ginza", retailer: "hoshi", name: "Hoshi Ginza Flagship", format: "FLAGSHIP", lat: 35.6717, lng: 139.765, address: "4-6-16 Ginza, Chuo-ku, Tokyo", floorAreaM2: 1200, capabilities: [...TF, "HOME_DELIVERY"] },
  { key: "hoshi-akihabara", retailer: "hoshi", name: "Hoshi Akihabara", format: "FLAGSHIP", lat: 35.6984, lng: 139.7731, address: "1-15-9 Sotokanda, Chiyoda-ku, Tokyo", floorAreaM2: 800, capabilities: TF },
  { key: "hoshi-shinjuku", retailer: "hoshi", name: "Hoshi Shinjuku East", format: "FLAGSHIP", lat: 35.6909, lng: 139.7033, address: "3-25-1 Shinjuku, Shinjuku-ku, Tokyo", floorAreaM2: 900, capabilities: TF },
  { key: "hoshi-shibuya", retailer: "hoshi", name: "Hoshi Shibuya Crossing", format: "FLAGSHIP", lat: 35.6595, lng: 139.7005, address: "21-1 Udagawacho, Shibuya-ku, Tokyo", floorAreaM2: 700, capabilities: TF },
  { key: "hoshi-asakusa", retailer: "hoshi", name: "Hoshi Asakusa Kaminarimon", format: "FLAGSHIP", lat: 35.7112, lng: 139.7966, address: "1-3-2 Asakusa, Taito-ku, Tokyo", floorAreaM2: 450, capabilities: TF },
  { key: "hoshi-ueno", retailer: "hoshi", name: "Hoshi Ueno Ameyoko", format: "FLAGSHIP", lat: 35.7101, lng: 139.7745, address: "6-10-7 Ueno, Taito-ku, Tokyo", floorAreaM2: 500, capabilities: TF },
  { key: "hoshi-ikebukuro", retailer: "hoshi", name: "Hoshi Ikebukuro", format: "FLAGSHIP", lat: 35.7295, lng: 139.7109, address: "1-22-8 Nishi-Ikebukuro, Toshima-ku, Tokyo", floorAreaM2: 650, capabilities: TF },
  { key: "hoshi-haneda", retailer: "hoshi", name: "Hoshi Haneda Airport T3", format: "FLAGSHIP", lat: 35.5494, lng: 139.7798, address: "Haneda Airport Terminal 3, Ota-ku, Tokyo", floorAreaM2: 300, capabilities: TF },
  { key: "meridian-nihonbashi", retailer: "meridian", name: "Meridian Nihonbashi", format: "DEPARTMENT_STORE", lat: 35.6841, lng: 139.7737, address: "1-4-1 Nihonbashi Muromachi, Chuo-ku, Tokyo", floorAreaM2: 38000, capabilities: ["TAX_FREE", "PICKUP", "CHILLED_STORAGE", "FROZEN_STORAGE", "HOME_DELIVERY"] },
  { key: "meridian-shinjuku", retailer: "meridian", name: "Meridian Shinjuku", format: "DEPARTMENT_STORE", lat: 35.6917, lng: 139.7046, address: "3-14-1 Shinjuku, Shinjuku-ku, Tokyo", floorAreaM2: 64000, capabilities: ["TAX_FREE", "PICKUP", "CHILLED_STORAGE", "HOME_DELIVERY"] },
  { key: "meridian-yokohama", retailer: "meridian", name: "Meridian Yokohama", format: "DEPARTMENT_STORE", lat: 35.4658, lng: 139.6223, address: "1-5-1 Minamisaiwai, Nishi-ku, Yokohama", floorAreaM2: 52000, capabilities: ["TAX_FREE", "PICKUP", "CHILLED_STORAGE"] },
  { key: "freshway-shinagawa", retailer: "freshway", name: "FreshWay Shinagawa", format: "SUPERMARKET", lat: 35.6285, lng: 139.7387, address: "2-16-3 Konan, Minato-ku, Tokyo", floorAreaM2: 1800, capabilities: ["PICKUP", "CHILLED_STORAGE", "FROZEN_STORAGE", "HOME_DELIVERY"] },
  { key: "freshway-nakameguro", retailer: "freshway", name: "FreshWay Naka-Meguro", format: "SUPERMARKET", lat: 35.6442, lng: 139.6989, address: "1-10-23 Kamimeguro, Meguro-ku, Tokyo", floorAreaM2: 1200, capabilities: ["PICKUP", "CHILLED_STORAGE", "FROZEN_STORAGE"] },
  { key: "freshway-kichijoji", retailer: "freshway", name: "FreshWay Kichijoji", format: "SUPERMARKET", lat: 35.7033, lng: 139.5797, address: "1-8-1 Kichijoji Honcho, Musashino, Tokyo", floorAreaM2: 1500, capabilities: ["PICKUP", "CHILLED_STORAGE", "FROZEN_STORAGE"] },
  { key: "corner24-hamamatsucho", retailer: "corner24", name: "Corner24 Hamamatsucho", format: "CONVENIENCE", lat: 35.6553, lng: 139.757, address: "1-1-1 Hamamatsucho, Minato-ku, Tokyo", floorAreaM2: 120, capabilities: ["PICKUP", "CHILLED_STORAGE"] },
  { key: "corner24-kanda", retailer: "corner24", name: "Corner24 Kanda", format: "CONVENIENCE", lat: 35.6918, lng: 139.7709, address: "2-2-2 Kajicho, Chiyoda-ku, Tokyo", floorAreaM2: 120, capabilities: ["PICKUP", "CHILLED_STORAGE"] },
  { key: "corner24-roppongi", retailer: "corner24", name: "Corner24 Roppongi", format: "CONVENIENCE", lat: 35.6628, lng: 139.7314, address: "6-1-24 Roppongi, Minato-ku, Tokyo", floorAreaM2: 130, capabilities: ["PICKUP", "CHILLED_STORAGE", "CHECKOUT_FREE"] },
  { key: "corner24-tsukiji-locker", retailer: "corner24", name: "Corner24 Tsukiji Pickup Locker", format: "PICKUP_POINT", lat: 35.6655, lng: 139.7707, address: "4-10-5 Tsukiji, Chuo-ku, Tokyo", floorAreaM2: 20, capabilities: ["PICKUP", "CHILLED_STORAGE"] },
  { key: "lumen-omotesando", retailer: "lumen", name: "Lumen Omotesando Showroom", format: "SHOWROOM", lat: 35.6652, lng: 139.7123, address: "5-10-1 Jingumae, Shibuya-ku, Tokyo", floorAreaM2: 400, capabilities: ["DISPLAY_ONLY"] },
  { key: "lumen-popup-harajuku", retailer: "lumen", name: "Lumen Pop-up Harajuku", format: "POP_UP", lat: 35.6702, lng: 139.7027, address: "1-19-11 Jingumae, Shibuya-ku, Tokyo", floorAreaM2: 150, capabilities: ["PICKUP"], opens: "2026-10-01", closes: "2027-03-31" },
  { key: "hoshi-popup-odaiba", retailer: "hoshi", name: "Hoshi Summer Pop-up Odaiba", format: "POP_UP", lat: 35.6251, lng: 139.7756, address: "1-7-1 Daiba, Minato-ku, Tokyo", floorAreaM2: 200, capabilities: ["TAX_FREE", "PICKUP"], opens: "2027-07-01", closes: "2027-08-31" },
  { key: "carehub-marunouchi", retailer: "carehub", name: "CareHub Marunouchi Service Centre", format: "SERVICE_CENTRE", lat: 35.6812, lng: 139.7649, address: "2-4-1 Marunouchi, Chiyoda-ku, Tokyo", floorAreaM2: 180, capabilities: ["SERVICES", "PICKUP"] },
  // Two independent neighbourhood grocers in Kanda and Jimbocho, near Corner24 Kanda: small floors, a fixed assortment.
  { key: "yamada-kanda", retailer: "yamada", name: "Yamada Shoten Kanda", format: "SUPERMARKET", lat: 35.6925, lng: 139.7695, address: "3-4-1 Uchikanda, Chiyoda-ku, Tokyo", floorAreaM2: 110, capabilities: ["PICKUP", "CHILLED_STORAGE"], stock: { "HOK-001": 4, "HOK-003": 30, "OCE-001": 3, "OCE-003": 12, "NIP-001": 20, "NIP-005": 40, "KIT-004": 5 } },
  { key: "sato-jimbocho", retailer: "sato", name: "Sato Fresh Jimbocho", format: "SUPERMARKET", lat: 35.6958, lng: 139.7577, address: "2-5-3 Kanda Jimbocho, Chiyoda-ku, Tokyo", floorAreaM2: 90, capabilities: ["PICKUP", "CHILLED_STORAGE"], stock: { "HOK-002": 5, "HOK-003": 8, "OCE-002": 2, "NIP-001": 10 } },
];

export interface DemoMember {
  key: string;
  displayName: string;
  email: string;
  /** Home club of the member's partner memberships (merged loyalty). */
  clubs: string[];
}

export const DEMO_MEMBERS: DemoMember[] = [
  { key: "aiko", displayName: "Aiko Tanaka", email: "aiko@example.jp", clubs: ["meridian", "freshway"] },
  { key: "wei", displayName: "Wei Chen", email: "wei.chen@example.cn", clubs: [] },
  { key: "minh", displayName: "Minh Nguyen", email: "minh@example.vn", clubs: ["meridian"] },
  { key: "sofia", displayName: "Sofia Rossi", email: "sofia@example.it", clubs: [] },
];

export const demoProductId = (sku: string) => seedId("product", sku);
export const demoStoreId = (key: string) => seedId("store", key);
export const demoRetailerId = (key: string) => seedId("retailer", key);
export const demoMemberId = (key: string) => seedId("member", key);
