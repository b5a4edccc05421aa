import { render } from "solid-js/web";
import { App } from "./App.js";
import { connectWorker } from "./bridge/connectWorker.js";
import { makeWorkspaceClient } from "./bridge/WorkspaceClient.js";
import "./styles.css";

render(() => <App connect={async () => makeWorkspaceClient(await connectWorker())} />, document.getElementById("root")!);
