/**
 * An ECMAScript pattern (as ajv runs it, with the `u` flag) rewritten to mean the same under RE2 (Go's
 * regexp, which the API server uses), or why it cannot be. Lookaround, backreferences and `\c`/`\k`
 * escapes do not exist in RE2; `\uXXXX` becomes `\x{XXXX}`; `\s` becomes the class of JavaScript's
 * white space (RE2's `\s` is ASCII only, and the CRD would refuse a no-break space the chart allows).
 */
export function re2Pattern(pattern: string): { ok: true; pattern: string } | { ok: false; why: string } {
  try {
    new RegExp(pattern, "u");
  } catch {
    return { ok: false, why: "not a valid ECMAScript regular expression" };
  }
  let out = "";
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\") {
      const n = pattern[i + 1] ?? "";
      i++;
      if (/[1-9]/.test(n)) return { ok: false, why: "backreferences have no RE2 form (Kubernetes validates with Go's regexp)" };
      if (n === "c" || n === "k") return { ok: false, why: `\\${n} escapes have no RE2 form` };
      if (n === "u") {
        const m = /^\{([0-9a-fA-F]+)\}|^([0-9a-fA-F]{4})/.exec(pattern.slice(i + 1));
        if (!m) return { ok: false, why: "a \\u escape RE2 cannot read" };
        out += `\\x{${m[1] ?? m[2]}}`;
        i += m[0].length;
      } else if (n === "s") out += inClass ? JS_SPACE : `[${JS_SPACE}]`;
      else if (n === "S") {
        if (inClass) return { ok: false, why: "\\S inside a character class has no RE2 form with JavaScript's white space" };
        out += `[^${JS_SPACE}]`;
      } else out += `\\${n}`;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
    } else if (c === "[") {
      // JavaScript's [] matches nothing and [^] anything; in RE2 a ] there is a literal
      if (pattern[i + 1] === "]" || (pattern[i + 1] === "^" && pattern[i + 2] === "]")) return { ok: false, why: "[] and [^] have no RE2 form" };
      inClass = true;
      if (pattern[i + 1] === "^") {
        out += "[^";
        i++;
        continue;
      }
    } else if (c === "(" && pattern[i + 1] === "?" && (/[=!]/.test(pattern[i + 2] ?? "") || (pattern[i + 2] === "<" && /[=!]/.test(pattern[i + 3] ?? "")))) {
      return { ok: false, why: "lookaround has no RE2 form (Kubernetes validates with Go's regexp)" };
    }
    out += c;
  }
  return { ok: true, pattern: out };
}

/** JavaScript's `\s`, as RE2 class contents. */
const JS_SPACE = "\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}";
