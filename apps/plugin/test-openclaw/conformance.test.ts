import { runAgentBackendConformance } from "../src/runAgentBackendConformance.js";
import { RemoteBackend } from "./RemoteBackend.js";
import { suite } from "./suite.js";

runAgentBackendConformance("OpenClawBackend in a real gateway", () => {
  const s = suite();
  return Promise.resolve({
    backend: new RemoteBackend(`http://127.0.0.1:${s.port}`, s.backendToken),
    actionPrompt: "Please choose a fruit",
    toolPrompt: "Please use a tool to look around",
    longPrompt: "Tell me a long story",
  });
});
