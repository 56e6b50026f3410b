/** Japanese consumption tax contained in a tax-inclusive amount at 10 %: round(amount × 10 / 110). */
export const consumptionTaxIn = (amount: number) => Math.round((amount * 10) / 110);
