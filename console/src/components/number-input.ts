/** A number field's text as an optional API value: empty means "not set". */
export const optionalNumber = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text));

/** For PATCH: empty clears the limit (null). */
export const nullableNumber = (text: string): number | null => (text.trim() === '' ? null : Number(text));

export const numberText = (n: number | null | undefined): string => (n === null || n === undefined ? '' : String(n));
