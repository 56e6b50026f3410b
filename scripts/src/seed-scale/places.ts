import { SCALE_NEAR, STORES } from "./shape.ts";

/**
 * Where the scale stores stand: mostly around Japanese city centres (a normal spread of a few km around each),
 * a tenth scattered wider around them (suburbs, roadside), weighted roughly by population. A "near me" box of
 * 10–25 km then holds tens to hundreds of stores, never the whole country. Deterministic (seeded PRNG).
 */

interface City {
  name: string;
  lat: number;
  lng: number;
  /** Relative number of stores. */
  weight: number;
  /** Standard deviation of the spread around the centre, km. */
  spreadKm: number;
}

const CITIES: City[] = [
  { name: "Tokyo", lat: SCALE_NEAR.lat, lng: SCALE_NEAR.lng, weight: 180, spreadKm: 14 },
  { name: "Yokohama", lat: 35.4437, lng: 139.638, weight: 80, spreadKm: 9 },
  { name: "Kawasaki", lat: 35.5308, lng: 139.703, weight: 35, spreadKm: 6 },
  { name: "Saitama", lat: 35.8617, lng: 139.6455, weight: 40, spreadKm: 8 },
  { name: "Chiba", lat: 35.6073, lng: 140.1063, weight: 35, spreadKm: 8 },
  { name: "Osaka", lat: 34.7025, lng: 135.4959, weight: 150, spreadKm: 12 },
  { name: "Nagoya", lat: 35.1709, lng: 136.8815, weight: 160, spreadKm: 11 },
  { name: "Sapporo", lat: 43.0687, lng: 141.3508, weight: 190, spreadKm: 9 },
  { name: "Fukuoka", lat: 33.5902, lng: 130.4207, weight: 160, spreadKm: 9 },
  { name: "Kobe", lat: 34.6901, lng: 135.1955, weight: 80, spreadKm: 8 },
  { name: "Kyoto", lat: 35.0116, lng: 135.7681, weight: 80, spreadKm: 7 },
  { name: "Hiroshima", lat: 34.3853, lng: 132.4553, weight: 120, spreadKm: 9 },
  { name: "Sendai", lat: 38.2682, lng: 140.8694, weight: 110, spreadKm: 9 },
  { name: "Kitakyushu", lat: 33.8834, lng: 130.8752, weight: 90, spreadKm: 9 },
  { name: "Niigata", lat: 37.9161, lng: 139.0364, weight: 80, spreadKm: 9 },
  { name: "Hamamatsu", lat: 34.7108, lng: 137.7261, weight: 80, spreadKm: 9 },
  { name: "Kumamoto", lat: 32.8031, lng: 130.7079, weight: 75, spreadKm: 8 },
  { name: "Okayama", lat: 34.6551, lng: 133.9195, weight: 75, spreadKm: 8 },
  { name: "Shizuoka", lat: 34.9756, lng: 138.3828, weight: 70, spreadKm: 8 },
  { name: "Kagoshima", lat: 31.5966, lng: 130.5571, weight: 60, spreadKm: 8 },
  { name: "Kanazawa", lat: 36.5613, lng: 136.6562, weight: 50, spreadKm: 7 },
  { name: "Matsuyama", lat: 33.8392, lng: 132.7657, weight: 50, spreadKm: 7 },
  { name: "Naha", lat: 26.2124, lng: 127.6809, weight: 50, spreadKm: 6 },
  { name: "Utsunomiya", lat: 36.5551, lng: 139.8828, weight: 50, spreadKm: 8 },
  { name: "Nagano", lat: 36.6485, lng: 138.1942, weight: 40, spreadKm: 8 },
  { name: "Takamatsu", lat: 34.3428, lng: 134.0466, weight: 40, spreadKm: 7 },
  { name: "Toyama", lat: 36.6953, lng: 137.2113, weight: 35, spreadKm: 7 },
  { name: "Gifu", lat: 35.4233, lng: 136.7606, weight: 35, spreadKm: 7 },
  { name: "Nara", lat: 34.6851, lng: 135.8048, weight: 35, spreadKm: 7 },
  { name: "Wakayama", lat: 34.226, lng: 135.1675, weight: 30, spreadKm: 7 },
];

/** Share of stores spread wide (suburbs, roadside) rather than around a centre. */
const WIDE_SHARE = 0.15;
const WIDE_SPREAD_KM = 40;
const KM_PER_DEG_LAT = 111.32;

/** mulberry32: a tiny deterministic PRNG, so every run places every store at the same spot. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Place {
  city: string;
  lat: number;
  lng: number;
}

/** STORES places; place 0 is exactly SCALE_NEAR (the store that guarantees SCALE_SAMPLE_SKU's availability). */
export function storePlaces(count: number = STORES): Place[] {
  const random = prng(20261123);
  const total = CITIES.reduce((sum, c) => sum + c.weight, 0);
  const pickCity = () => {
    let r = random() * total;
    for (const city of CITIES) if ((r -= city.weight) < 0) return city;
    return CITIES[CITIES.length - 1]!;
  };
  // Box–Muller: a standard normal from two uniforms.
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const places: Place[] = [{ city: "Tokyo", lat: SCALE_NEAR.lat, lng: SCALE_NEAR.lng }];
  while (places.length < count) {
    const city = pickCity();
    const spread = random() < WIDE_SHARE ? WIDE_SPREAD_KM : city.spreadKm;
    const lat = city.lat + (normal() * spread) / KM_PER_DEG_LAT;
    const lng = city.lng + (normal() * spread) / (KM_PER_DEG_LAT * Math.cos((city.lat * Math.PI) / 180));
    places.push({ city: city.name, lat: Math.round(lat * 1e6) / 1e6, lng: Math.round(lng * 1e6) / 1e6 });
  }
  return places;
}
