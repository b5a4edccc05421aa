import { render } from "solid-js/web";
import { App } from "./App.js";
import { connectWorker } from "./bridge/connectWorker.js";
import "./styles.css";

// Milestones of a start, read by the warm-start benchmark (apps/web/bench/catchUp.bench.ts).
performance.mark("botschat:start");
render(() => <App connect={connectWorker} />, document.getElementById("root")!);
performance.mark("botschat:first-render");
