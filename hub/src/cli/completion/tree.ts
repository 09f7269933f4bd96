import { Help, type Argument, type Command, type Option } from "commander";

/**
 * What a shell completes for one value (an option's or a positional argument's). Read from the command
 * definitions, so a new command or flag completes without touching the completion code: choices come
 * from `.choices()`, the rest from the value's placeholder name — `<addon>` and `<cluster>` complete the
 * hub's addon and cluster names (through `flotilla __complete`), `<file>` files, `<dir>` directories.
 */
export type ValueKind =
  | { type: "none" }
  | { type: "choices"; values: string[] }
  | { type: "addons" }
  | { type: "clusters" }
  | { type: "file" }
  | { type: "dir" };

export interface CompletionFlag {
  /** `-o`, `--output`. */
  names: string[];
  description: string;
  /** Whether the flag takes a value (the next word, or `--flag=value`). */
  takesValue: boolean;
  value: ValueKind;
}

export interface CompletionArgument {
  value: ValueKind;
  /** The last argument may repeat. */
  variadic: boolean;
}

export interface CompletionNode {
  /** Canonical names from the root (excluded): `["rollout", "status"]`. */
  path: string[];
  /** The name and its aliases. */
  names: string[];
  description: string;
  subcommands: CompletionNode[];
  flags: CompletionFlag[];
  args: CompletionArgument[];
}

/** Placeholder names that complete something other than free text. */
const PLACEHOLDER_KINDS: Record<string, ValueKind> = {
  addon: { type: "addons" },
  cluster: { type: "clusters" },
  file: { type: "file" },
  dir: { type: "dir" },
};

export function valueKind(placeholder: string | undefined, choices: readonly string[] | undefined): ValueKind {
  if (choices?.length) return { type: "choices", values: [...choices] };
  return (placeholder && PLACEHOLDER_KINDS[placeholder]) || { type: "none" };
}

/** `--cluster <cluster>` → `cluster`; `[flags...]` → `flags`. */
const placeholderOf = (flags: string): string | undefined => /[<[]([^>\]]+?)(\.\.\.)?[>\]]/.exec(flags)?.[1];

function flag(o: Option): CompletionFlag {
  const takesValue = o.required || o.optional;
  return {
    names: [o.short, o.long].filter((n): n is string => n !== undefined),
    description: o.description,
    takesValue,
    value: takesValue ? valueKind(placeholderOf(o.flags), o.argChoices) : { type: "none" },
  };
}

const argument = (a: Argument): CompletionArgument => ({ value: valueKind(a.name(), a.argChoices), variadic: a.variadic });

/**
 * The visible command tree (hidden commands and options left out, the implicit `help` command and
 * option in), as the shells complete it. Pure: reads the definitions only.
 */
export function completionTree(cmd: Command, path: string[] = [], help = new Help()): CompletionNode {
  return {
    path,
    names: [cmd.name(), ...cmd.aliases()],
    description: cmd.description(),
    subcommands: help.visibleCommands(cmd).map((c) => completionTree(c, [...path, c.name()], help)),
    flags: help.visibleOptions(cmd).map(flag),
    args: cmd.registeredArguments.map(argument),
  };
}

/** Every node of the tree, the root first. */
export function walk(node: CompletionNode): CompletionNode[] {
  return [node, ...node.subcommands.flatMap(walk)];
}
