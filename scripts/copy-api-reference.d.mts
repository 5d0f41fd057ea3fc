/** Copies Scalar's standalone bundle to public/docs/ (see copy-api-reference.mjs). */
export function copyApiReference(): void;
