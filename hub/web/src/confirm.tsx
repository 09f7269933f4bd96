import { useEffect, useRef } from "preact/hooks";

export interface Ask {
  /** The button's words, e.g. `Promote`. */
  label: string;
  /** What will happen, in a sentence. */
  question: string;
  path: string;
  body?: object;
}

/** A modal confirmation (the native dialog: focus is held inside, Escape cancels). */
export function Confirm(props: { ask: Ask | null; onConfirm: (a: Ask) => void; onCancel: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (props.ask && !d.open) d.showModal();
    if (!props.ask && d.open) d.close();
  }, [props.ask]);
  const a = props.ask;
  return (
    <dialog ref={ref} aria-labelledby="confirm-h" onCancel={(e) => (e.preventDefault(), props.onCancel())}>
      {a && (
        <form method="dialog" onSubmit={(e) => (e.preventDefault(), props.onConfirm(a))}>
          <h2 id="confirm-h">{a.label}?</h2>
          <p>{a.question}</p>
          <div class="buttons">
            <button type="submit" class="primary" autofocus>{`Yes, ${a.label.toLowerCase()}`}</button>
            <button type="button" onClick={props.onCancel}>Cancel</button>
          </div>
        </form>
      )}
    </dialog>
  );
}
