/** The UI languages (the cashier's and the customer display's). No imports: the renderer reads it. */
export const LANGUAGES = ['it', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
