import { describe, expect, it } from "vitest";
import { addressKey, clientAddress } from "./addressKey.js";

describe("addressKey", () => {
  it("counts IPv4 addresses one by one and IPv6 ones by their /64", () => {
    expect(addressKey("203.0.113.7")).toBe("203.0.113.7");
    expect(addressKey("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(addressKey("2001:db8:aa:bb:1:2:3:4")).toBe("2001:db8:aa:bb::/64");
    expect(addressKey("2001:db8:aa:bb::99")).toBe("2001:db8:aa:bb::/64");
    expect(addressKey("2001:DB8:00aa::1")).toBe("2001:db8:aa:0::/64");
    expect(addressKey("::1")).toBe("0:0:0:0::/64");
    expect(addressKey("unknown")).toBe("unknown");
  });
});

describe("clientAddress", () => {
  it("takes the address the trusted proxies saw, never what the client wrote on the left", () => {
    expect(clientAddress("10.0.0.1", "6.6.6.6, 198.51.100.4", 1)).toBe("198.51.100.4");
    expect(clientAddress("10.0.0.1", "6.6.6.6, 198.51.100.4, 10.0.0.9", 2)).toBe("198.51.100.4");
    expect(clientAddress("10.0.0.1", "6.6.6.6, 198.51.100.4", 0)).toBe("10.0.0.1");
    // Fewer entries than proxies: the header is not what a proxy would write; the socket says.
    expect(clientAddress("10.0.0.1", "198.51.100.4", 2)).toBe("10.0.0.1");
    expect(clientAddress("10.0.0.1", undefined, 1)).toBe("10.0.0.1");
  });
});
