import { bashScript } from "./bash.js";
import { fishScript } from "./fish.js";
import type { CompletionNode } from "./tree.js";
import { zshScript } from "./zsh.js";

export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];

const scripts: Record<Shell, (root: CompletionNode, command: string) => string> = { bash: bashScript, zsh: zshScript, fish: fishScript };

/**
 * The completion script of `shell` for the tree. `command` is what the user types: the program's name,
 * with `kubectl flotilla` completed as the plugin's own executable, `kubectl-flotilla` (kubectl
 * completes the words after `kubectl` itself).
 */
export function completionScript(shell: Shell, root: CompletionNode, programName: string): string {
  return scripts[shell](root, programName.replace(/ /g, "-"));
}
