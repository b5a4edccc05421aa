import { isIPv4, isIPv6 } from "node:net";

/**
 * What limits per address count by: an IPv4 address, or the /64 network of an IPv6 one (one
 * home or host gets a whole /64, so counting single IPv6 addresses would count nothing).
 * `::ffff:1.2.3.4` is the IPv4 address it maps.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (isIPv4(address) || !isIPv6(address)) return address;
  const [head = "", tail = ""] = address.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = address.includes("::") ? (tail === "" ? [] : tail.split(":")) : [];
  const groups = address.includes("::") ? [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

/**
 * The client's address: the socket's, or behind `hops` trusted reverse proxies the one that many
 * entries from the right of `X-Forwarded-For` (each proxy appends the address it saw; entries
 * further left are whatever the client wrote, and never trusted).
 */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | undefined, hops: number): string {
  if (hops > 0 && forwardedFor !== undefined) {
    const list = forwardedFor
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const at = list[list.length - hops];
    if (at !== undefined) return at;
  }
  return socketAddress ?? "unknown";
}
