import { render } from "solid-js/web";
import { App } from "./App.js";
import { connectWorker } from "./bridge/connectWorker.js";
import "./styles.css";

render(() => <App connect={connectWorker} />, document.getElementById("root")!);
