import { describe, expect, it } from "vitest";
import { parseListenAddr } from "./http.js";

describe("parseListenAddr", () => {
  it.each([
    [":9090", { host: undefined, port: 9090 }],
    ["127.0.0.1:0", { host: "127.0.0.1", port: 0 }],
    ["[::1]:8080", { host: "::1", port: 8080 }],
    ["9091", { host: undefined, port: 9091 }],
  ])("%s", (addr, want) => expect(parseListenAddr(addr)).toEqual(want));
  it("names the bad address", () => expect(() => parseListenAddr("host:http")).toThrow(/host:http/));
});
