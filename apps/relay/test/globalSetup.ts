import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Integration suites run the real `botschat-relay` bundle: build it once before they start. */
export default function setup(): void {
  const cwd = fileURLToPath(new URL("..", import.meta.url));
  execFileSync("pnpm", ["exec", "tsup", "--silent"], { cwd, stdio: "inherit" });
}
