import type { GatewayView, MessageView } from "@botschat/model";
import { type Accessor, createContext, useContext } from "solid-js";
import type { Account } from "../api/relayApi.js";
import type { WorkspaceClient } from "../bridge/WorkspaceClient.js";

/** What deep components of the workspace need: the worker client, who is signed in, names. */
export interface WorkspaceContextValue {
  ws: WorkspaceClient;
  account: Account;
  gateways: Accessor<GatewayView[]>;
  /** The name shown on a message's row. */
  senderName(m: MessageView): string;
  /** Opens the thread of a message of a page. */
  openThread(pageDoc: string, message: MessageView): void;
  /** Shows a short notice. */
  notify(text: string): void;
}

export const WorkspaceContext = createContext<WorkspaceContextValue>();

/** The workspace context; only inside <Workspace>. */
export function useWorkspace(): WorkspaceContextValue {
  const v = useContext(WorkspaceContext);
  if (v === undefined) throw new Error("useWorkspace outside <Workspace>");
  return v;
}
