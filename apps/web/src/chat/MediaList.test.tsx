import type { MessageView } from "@botschat/model";
import { fireEvent, render, screen } from "@solidjs/testing-library";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { WorkspaceContext, type WorkspaceContextValue } from "../layout/WorkspaceContext.js";
import { MediaList } from "./MediaList.js";
import { previewableImage } from "./previewableImage.js";

type Media = NonNullable<MessageView["media"]>[number];

const photo = { hash: "h1", key: "k1", name: "holiday.png", mime: "image/png", size: 204_800 } as unknown as Media;
const report = { hash: "h2", key: "k2", name: "report.pdf", mime: "application/pdf", size: 1536 } as unknown as Media;
const raw = { hash: "h3", key: "k3", name: "scan.tiff", mime: "image/tiff", size: 3 * 1024 * 1024 } as unknown as Media;

let saved: { href: string; download: string }[];
beforeEach(() => {
  saved = [];
  vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
    saved.push({ href: this.href, download: this.download });
  });
  let n = 0;
  vi.spyOn(URL, "createObjectURL").mockImplementation(() => `blob:test/${++n}`);
  vi.spyOn(URL, "revokeObjectURL").mockImplementation(() => {});
});
afterEach(() => vi.restoreAllMocks());

function setup(media: Media[], downloadBlob: (input: { hash: string }) => Promise<unknown>) {
  const notify = vi.fn();
  const api = { downloadBlob: vi.fn(downloadBlob) };
  const ctx = { ws: { api }, notify } as unknown as WorkspaceContextValue;
  render(() => (
    <WorkspaceContext.Provider value={ctx}>
      <MediaList media={media} />
    </WorkspaceContext.Provider>
  ));
  return { api, notify };
}

const bytes = async () => ({ ok: true, value: new Uint8Array([1, 2, 3]) });

describe("MediaList", () => {
  it("shows an image as a preview and a file as a card with its size", async () => {
    setup([photo, report], bytes);
    expect(await screen.findByRole("img", { name: "holiday.png" })).toHaveAttribute("src", "blob:test/1");
    expect(screen.getByText("report.pdf")).toBeInTheDocument();
    expect(screen.getByText("1.5 KB")).toBeInTheDocument();
    expect(screen.queryByRole("img", { name: "report.pdf" })).toBeNull();
  });

  it("offers an image type browsers cannot draw as a file to download", async () => {
    const { api } = setup([raw], bytes);
    expect(screen.getByText("scan.tiff")).toBeInTheDocument();
    expect(screen.getByText("3 MB")).toBeInTheDocument();
    expect(screen.queryByRole("img")).toBeNull();
    expect(api.downloadBlob).not.toHaveBeenCalled();
  });

  it("downloads a file under its own name when asked, decrypting it only then", async () => {
    const { api } = setup([report], bytes);
    expect(api.downloadBlob).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole("button", { name: "Download report.pdf" }));
    await vi.waitFor(() => expect(saved).toEqual([{ href: "blob:test/1", download: "report.pdf" }]));
    expect(api.downloadBlob).toHaveBeenCalledWith({ hash: "h2", key: "k2" });
  });

  it("saves a previewed image from the bytes it already has", async () => {
    const { api } = setup([photo], bytes);
    fireEvent.click(await screen.findByRole("button", { name: "Download holiday.png" }));
    expect(saved).toEqual([{ href: "blob:test/2", download: "holiday.png" }]);
    expect(api.downloadBlob).toHaveBeenCalledTimes(1);
  });

  it("an image that cannot be decrypted becomes a file card that says so; a failed download is told", async () => {
    const { notify } = setup([photo], async () => ({ ok: false, message: "The file is not on the server." }));
    expect(await screen.findByText(/The preview cannot be shown/)).toBeInTheDocument();
    expect(screen.queryByRole("img")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Download holiday.png" }));
    await vi.waitFor(() => expect(notify).toHaveBeenCalledWith("Cannot download holiday.png: The file is not on the server."));
    expect(saved).toEqual([]);
  });

  it("an image whose attachment was deleted says so once, with no download and no error", async () => {
    const gone = async () => ({ ok: false, gone: true, message: "This attachment was deleted." });
    const { api, notify } = setup([photo], gone);
    expect(await screen.findByText("This attachment was deleted")).toBeInTheDocument();
    expect(screen.getByText("holiday.png")).toBeInTheDocument();
    expect(screen.queryByRole("img")).toBeNull();
    expect(screen.queryByRole("button", { name: "Download holiday.png" })).toBeNull();
    expect(screen.queryByText(/The preview cannot be shown/)).toBeNull();
    expect(api.downloadBlob).toHaveBeenCalledTimes(1);
    expect(notify).not.toHaveBeenCalled();
  });

  it("a file whose attachment was deleted says so when asked for, and offers no download after", async () => {
    const gone = async () => ({ ok: false, gone: true, message: "This attachment was deleted." });
    const { api, notify } = setup([report], gone);
    fireEvent.click(screen.getByRole("button", { name: "Download report.pdf" }));
    expect(await screen.findByText("This attachment was deleted")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Download report.pdf" })).toBeNull();
    expect(screen.queryByText("1.5 KB")).toBeNull();
    expect(api.downloadBlob).toHaveBeenCalledTimes(1);
    expect(notify).not.toHaveBeenCalled();
    expect(saved).toEqual([]);
  });
});

describe("previewableImage", () => {
  it("previews the image types browsers draw, whatever the case or parameters", () => {
    expect(previewableImage("image/png")).toBe(true);
    expect(previewableImage("IMAGE/JPEG")).toBe(true);
    expect(previewableImage("image/svg+xml; charset=utf-8")).toBe(true);
    expect(previewableImage("image/heic")).toBe(false);
    expect(previewableImage("application/pdf")).toBe(false);
  });
});

describe("MediaList with bytes that are not an image", () => {
  beforeEach(() => {
    vi.spyOn(URL, "createObjectURL").mockReturnValue("blob:test/x");
    vi.spyOn(URL, "revokeObjectURL").mockImplementation(() => {});
  });

  it("shows a file card saying the preview cannot be shown instead of an empty frame", async () => {
    setup([photo], bytes);
    const img = await screen.findByRole("img", { name: "holiday.png" });
    fireEvent.error(img);
    expect(await screen.findByText(/The preview cannot be shown/)).toBeInTheDocument();
    expect(screen.queryByRole("img")).toBeNull();
    expect(screen.getByRole("button", { name: "Download holiday.png" })).toBeInTheDocument();
  });
});
