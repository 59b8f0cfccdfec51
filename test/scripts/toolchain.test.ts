/**
 * The first thing a newcomer meets on a machine whose Node.js is too old: the message, checked
 * without an old Node installed (the checks take the versions they judge as arguments).
 */
import { readFileSync } from "node:fs";
import path from "node:path";

import { expect } from "chai";

import {
  isOlder,
  missingHardhatBindingMessage,
  npmNodeVersion,
  oldNodeMessage,
  requiredNode,
  toolchainProblem,
} from "../../scripts/lib/toolchain.js";

const ROOT = path.resolve(import.meta.dirname, "../..");

describe("toolchain check", () => {
  it("tells a person on Node 20 which Node they have, which they need and how to get it", () => {
    const message = oldNodeMessage("v20.20.2", "22.13");
    expect(message).to.include("this is Node.js 20.20.2");
    expect(message).to.include("needs Node.js 22.13 or newer");
    expect(message).to.include("`npm install`, then `npm start`");
    expect(message).to.include("nvm install");
  });

  it("accepts the minimum and anything newer, refuses anything older", () => {
    for (const ok of ["22.13.0", "v22.13.1", "22.23.3", "23.0.0", "24.1.0"]) {
      expect(oldNodeMessage(ok, "22.13"), ok).to.equal(undefined);
    }
    for (const old of ["22.12.9", "21.99.0", "20.20.2", "18.0.0"]) {
      expect(oldNodeMessage(old, "22.13"), old).to.be.a("string");
    }
    expect(isOlder("22.9.0", "22.13")).to.equal(true); // minor versions compare as numbers, not text
  });

  it("reads the minimum from package.json, and .nvmrc names the same major", () => {
    expect(requiredNode()).to.equal("22.13");
    const nvmrc = readFileSync(path.join(ROOT, ".nvmrc"), "utf8").trim();
    expect(requiredNode().split(".")[0]).to.equal(nvmrc);
  });

  it("knows which Node ran npm from npm's user agent", () => {
    expect(npmNodeVersion("npm/11.19.1 node/v20.20.2 linux x64 workspaces/false")).to.equal("20.20.2");
    expect(npmNodeVersion("yarn/1.22.0")).to.equal(undefined);
  });

  it("explains a missing Hardhat binding by the old Node that ran npm install, and says to run it again", () => {
    const missing = () => {
      throw new Error("Cannot find native binding. npm has a bug (…): remove package-lock.json.\nRequire stack: …");
    };
    const message = missingHardhatBindingMessage("20.20.2", missing)!;
    expect(message).to.include("cannot be loaded: Cannot find native binding.");
    expect(message).not.to.include("package-lock.json"); // EDR's advice to delete the lockfile is wrong here
    expect(message).not.to.include("Require stack");
    expect(message).to.include("npm runs under Node.js 20.20.2");
    expect(message).to.include("Run `npm install` again");
    expect(missingHardhatBindingMessage("22.23.3", missing)).to.include("--omit=optional");
  });

  it("finds nothing wrong with the Node and the binding this test runs on", () => {
    expect(toolchainProblem()).to.equal(undefined);
    expect(toolchainProblem("20.20.2")).to.include("this is Node.js 20.20.2");
  });
});
