/**
 * Values against `valuesSchema` (DESIGN §4, §12). The check itself is injected (the hub's one
 * `ValuesValidator`), so the renderer stays a pure function of its inputs.
 */
import type { ValuesValidation } from "@flotilla/shared";

export type ValuesCheck = (schema: unknown, values: unknown) => ValuesValidation;

const SEPARATOR = "; ";

/** The errors of one check as one condition message. */
export const valuesErrorsMessage = (errors: readonly string[]): string => errors.join(SEPARATOR);

/** The first error of a message made by `valuesErrorsMessage`. */
export const firstValuesError = (message: string): string => message.split(SEPARATOR)[0] ?? message;
