import { render } from "solid-js/web";
import { App } from "./App.js";
import { connectWorker } from "./bridge/connectWorker.js";
import "./styles.css";
import { fitToVisibleViewport } from "./ui/fitToVisibleViewport.js";

// Milestones of a start, read by the warm-start benchmark (apps/web/bench/catchUp.bench.ts).
performance.mark("botschat:start");
fitToVisibleViewport(document.documentElement);
render(() => <App connect={connectWorker} />, document.getElementById("root")!);
performance.mark("botschat:first-render");
