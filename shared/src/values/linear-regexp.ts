import { RE2JS } from "re2js";
import { FlotillaError } from "../errors.js";
import { re2Pattern } from "./re2-pattern.js";

/**
 * A JSON Schema `pattern` that RE2 cannot run (backreferences, lookaround, …). Code Invalid: the
 * schema is at fault, and trying again changes nothing.
 */
export class UnsupportedPatternError extends FlotillaError {
  constructor(
    readonly pattern: string,
    why: string,
    options?: ErrorOptions,
  ) {
    super("Invalid", `pattern ${JSON.stringify(pattern)} is not supported: ${why}`, options);
  }
}

/** What ajv asks of a regular expression; toString names it (see below). */
export interface RegExpLike {
  test(s: string): boolean;
  toString(): string;
}

/**
 * Ajv's `code.regExp` engine for schemas from users (valuesSchema, a chart's values.schema.json):
 * patterns run on RE2 (re2js, pure JavaScript), whose matching time is linear in the input, so a
 * pattern like `^(a+)+$` cannot hold the event loop the way a backtracking RegExp does. The pattern is
 * first rewritten to mean under RE2 what it means in ECMAScript (re2Pattern); what has no RE2 form
 * throws UnsupportedPatternError at compile time, which ajv turns into a schema that does not compile.
 */
export function linearRegExp(pattern: string, _flags?: string): RegExpLike {
  const p = re2Pattern(pattern);
  if (!p.ok) throw new UnsupportedPatternError(pattern, p.why);
  let re: RE2JS;
  try {
    re = RE2JS.compile(p.pattern);
  } catch (err) {
    throw new UnsupportedPatternError(pattern, err instanceof Error ? err.message : String(err), { cause: err });
  }
  // ajv keeps compiled patterns in one scope keyed by toString(): it must name the pattern, or every
  // pattern would share the first one's matcher.
  return { test: (s) => re.test(s), toString: () => `re2:${pattern}` };
}
// ajv writes this into standalone code only, which Flotilla does not generate.
linearRegExp.code = 'require("@flotilla/shared").linearRegExp';
