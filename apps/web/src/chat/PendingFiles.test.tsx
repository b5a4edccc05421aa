import { fireEvent, render, screen, within } from "@solidjs/testing-library";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Composer } from "./Composer.js";
import { type PendingFile, PendingFiles } from "./PendingFiles.js";

afterEach(() => vi.restoreAllMocks());

const file = (name: string, type: string, size: number): File => new File([new Uint8Array(size)], name, { type });

describe("PendingFiles", () => {
  it("lists each picked file with a thumbnail for images, its size and a Remove button", () => {
    const files: PendingFile[] = [{ file: file("cat.png", "image/png", 2048), preview: "blob:cat" }, { file: file("notes.txt", "text/plain", 12) }];
    const onRemove = vi.fn();
    const { container } = render(() => <PendingFiles files={files} onRemove={onRemove} />);
    const items = within(screen.getByRole("list", { name: "Attachments" })).getAllByRole("listitem");
    expect(items.map((li) => li.textContent)).toEqual(["cat.png2 KB", "notes.txt12 B"]);
    expect(container.querySelector("img")).toHaveAttribute("src", "blob:cat");
    fireEvent.click(screen.getByRole("button", { name: "Remove notes.txt" }));
    expect(onRemove).toHaveBeenCalledWith(files[1]);
  });

  it("a thumbnail that does not decode gives way to the file icon", () => {
    const { container } = render(() => <PendingFiles files={[{ file: file("odd.png", "image/png", 5), preview: "blob:odd" }]} onRemove={() => {}} />);
    fireEvent.error(container.querySelector("img")!);
    expect(container.querySelector("img")).toBeNull();
    expect(container.querySelector("li svg")).not.toBeNull();
  });

  it("draws nothing without files", () => {
    render(() => <PendingFiles files={[]} onRemove={() => {}} />);
    expect(screen.queryByRole("list")).toBeNull();
  });

  it("in the composer: picked files are listed, one can be removed, the rest are sent and the list empties", async () => {
    vi.spyOn(URL, "createObjectURL").mockReturnValue("blob:preview");
    vi.spyOn(URL, "revokeObjectURL").mockImplementation(() => {});
    const onSend = vi.fn(async () => true);
    const { container } = render(() => <Composer placeholder="Message" onSend={onSend} />);
    const picker = container.querySelector<HTMLInputElement>("input[type=file]")!;
    const a = file("a.png", "image/png", 10);
    const b = file("b.pdf", "application/pdf", 20);
    Object.defineProperty(picker, "files", { value: [a, b], configurable: true });
    fireEvent.change(picker);
    expect(screen.getAllByRole("listitem")).toHaveLength(2);
    fireEvent.click(screen.getByRole("button", { name: "Remove a.png" }));
    expect(URL.revokeObjectURL).toHaveBeenCalledWith("blob:preview");
    fireEvent.click(screen.getByRole("button", { name: "Send" }));
    expect(onSend).toHaveBeenCalledWith("", [b]);
    await vi.waitFor(() => expect(screen.queryByRole("list", { name: "Attachments" })).toBeNull());
  });
});
