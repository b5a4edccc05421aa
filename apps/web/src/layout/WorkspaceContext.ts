import type { CommandUseView, GatewayView, MessageView, SessionView } from "@botschat/model";
import { type Accessor, createContext, useContext } from "solid-js";
import type { Account } from "../api/relayApi.js";
import type { WorkspaceClient } from "../bridge/WorkspaceClient.js";

/** What deep components of the workspace need: the worker client, who is signed in, names. */
export interface WorkspaceContextValue {
  ws: WorkspaceClient;
  account: Account;
  gateways: Accessor<GatewayView[]>;
  /**
   * The open channel's gateway as its chat sees it (its default model the person's choice while
   * it offers it): what `/` suggests in a thread.
   */
  chatGateway: Accessor<GatewayView | undefined>;
  /** The open session: a thread of one of its pages says its model among the `/` suggestions. */
  session: Accessor<SessionView | undefined>;
  /** The person's slash commands, most used first: a thread's command bar. */
  commands: Accessor<readonly CommandUseView[] | undefined>;
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
