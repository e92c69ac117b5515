import { describe, expect, it } from "vitest";
import { sameOriginPath } from "./same-origin-path";

describe("sameOriginPath", () => {
  it("keeps paths of this site, with query and fragment", () => {
    expect(sameOriginPath("/merchants")).toBe("/merchants");
    expect(sameOriginPath("/merchants/1/developers?env=live#k")).toBe("/merchants/1/developers?env=live#k");
    expect(sameOriginPath("/security", "https://keys.example.test")).toBe("/security");
  });

  it("refuses every way back out to another host", () => {
    for (const v of [
      "/\\evil.test/",
      "/\t/evil.test/",
      "/\n/evil.test",
      "//evil.test",
      "/\\/evil.test",
      "/.//evil.test",
      "/%2e//evil.test",
      "\\\\evil.test",
      "https://evil.test/",
      "http:/evil.test",
      "javascript:alert(1)",
      " /x",
      "evil.test",
      "",
    ]) {
      const path = sameOriginPath(v);
      // Whatever is kept must resolve, in a browser, to the site itself.
      if (path !== undefined) expect(new URL(path, "https://site.test").host, JSON.stringify(v)).toBe("site.test");
    }
    expect(sameOriginPath("/\\evil.test/")).toBeUndefined();
    expect(sameOriginPath("/\t/evil.test/")).toBeUndefined();
    expect(sameOriginPath("/.//evil.test")).toBeUndefined();
  });

  it("refuses what is not a string", () => {
    for (const v of [undefined, null, 5, ["/x"], { toString: () => "/x" }]) expect(sameOriginPath(v)).toBeUndefined();
  });
});
