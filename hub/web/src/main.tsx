import { render } from "preact";
import { App } from "./app.js";
import "./style.css";

const root = document.getElementById("app")!;
// the "Loading…" line of index.html goes: render adds to what is there
root.textContent = "";
render(<App />, root);
