// The build steps of build.bundle, run by the compile stage's Node.js as
// node bundle.js MODE CONFIG, where CONFIG is JSON:
//
//   unbundled: chooses the packages of a production node_modules that the
//     bundle leaves out, copies them with what they depend on to OUT, and
//     writes OUT/external.json, the names the bundle keeps as imports.
//   bundle: bundles the handler's file with esbuild into OUT.
"use strict";
const fs = require("fs"), path = require("path");
const [mode, config] = process.argv.slice(2);
const c = JSON.parse(config);

function fail(msg) {
  console.error(msg);
  process.exit(1);
}

// installed lists the packages at the top of a node_modules tree, with
// the packages each needs at run time. Links, which a workspace's own
// packages are, are left to the bundle.
function installed(root) {
  const pkgs = new Map();
  const add = (name, dir) => {
    let pkg;
    try {
      pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
    } catch {
      return;
    }
    const needs = Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies, ...pkg.peerDependencies });
    pkgs.set(name, { dir, needs });
  };
  const entries = (dir) => (fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []);
  for (const e of entries(root)) {
    if (e.name.startsWith(".")) continue;
    if (e.name.startsWith("@") && e.isDirectory()) {
      for (const s of entries(path.join(root, e.name))) {
        if (s.isDirectory()) add(e.name + "/" + s.name, path.join(root, e.name, s.name));
      }
    } else if (e.isDirectory()) {
      add(e.name, path.join(root, e.name));
    }
  }
  return pkgs;
}

// nativeFile finds a file of compiled code under dir, its own
// node_modules included: a package needs what it carries.
function nativeFile(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      const found = nativeFile(p);
      if (found) return found;
    } else if (e.name.endsWith(".node") || e.name === "binding.gyp") {
      return p;
    }
  }
  return "";
}

const matches = (name, pattern) =>
  pattern.endsWith("/*") ? name.startsWith(pattern.slice(0, -1)) : name === pattern;

function unbundled() {
  const root = c.nodeModules;
  const pkgs = installed(root);
  const names = [...pkgs.keys()].sort();
  const why = new Map();
  for (const name of names) {
    const found = nativeFile(pkgs.get(name).dir);
    if (found) why.set(name, "native code: " + path.relative(root, found));
    else if (c.external.some((p) => matches(name, p))) why.set(name, "listed in build.bundle.external");
  }
  // A package that loads native code, as sharp loads its platform's
  // binary, must stay beside it: the bundle cannot hold the loader alone.
  for (let grew = true; grew; ) {
    grew = false;
    for (const name of names) {
      if (why.has(name)) continue;
      const dep = pkgs.get(name).needs.find((d) => why.has(d));
      if (dep) {
        why.set(name, "depends on " + dep);
        grew = true;
      }
    }
  }
  fs.mkdirSync(path.join(c.out, "node_modules"), { recursive: true });
  const ship = new Set();
  const visit = (name) => {
    if (ship.has(name) || !pkgs.has(name)) return;
    ship.add(name);
    pkgs.get(name).needs.forEach(visit);
  };
  [...why.keys()].forEach(visit);
  for (const name of [...ship].sort()) {
    fs.cpSync(pkgs.get(name).dir, path.join(c.out, "node_modules", name), {
      recursive: true, verbatimSymlinks: true, preserveTimestamps: true,
    });
    console.log(`ships in node_modules: ${name}` + (why.has(name) ? ` (${why.get(name)})` : ""));
  }
  if (ship.size === 0) console.log("every package goes in the bundle");
  const external = [...new Set([...why.keys(), ...c.external])].sort();
  fs.writeFileSync(path.join(c.out, "external.json"), JSON.stringify(external));
}

// isModule says whether Node.js loads a .js or .ts file as an ES module:
// its nearest package.json says "type": "module".
function isModule(file) {
  for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
    const p = path.join(dir, "package.json");
    if (fs.existsSync(p)) {
      try {
        return JSON.parse(fs.readFileSync(p, "utf8")).type === "module";
      } catch {
        return false;
      }
    }
    if (dir === path.dirname(dir)) return false;
  }
}

function bundle() {
  const entry = c.entries.find((f) => fs.existsSync(f));
  if (!entry) {
    fail(`build.bundle: the handler's file is not in build.output: none of ${c.entries.join(", ")} is there; check handler and build.output`);
  }
  let format = c.format;
  if (!format) {
    if (/\.c[jt]s$/.test(entry)) format = "cjs";
    else format = /\.m[jt]s$/.test(entry) || isModule(entry) ? "esm" : "cjs";
  }
  const external = c.externalFile ? JSON.parse(fs.readFileSync(c.externalFile, "utf8")) : c.external;
  const outfile = path.join(c.out, c.file + (format === "esm" ? ".mjs" : ".js"));
  const esbuild = require(c.esbuild);
  const options = {
    entryPoints: [entry], outfile, bundle: true, platform: "node", target: c.target, format,
    minify: c.minify, sourcemap: c.sourcemap, external, logLevel: "info",
    // Stack traces need the mappings alone; the sources would double the
    // image's code.
    sourcesContent: false,
  };
  if (format === "esm") {
    // A CommonJS package bundled into an ES module may still call
    // require, for a built-in or an external package; ES modules have no
    // require of their own. esbuild renames any require the code declares.
    options.banner = { js: 'import { createRequire as __bundleRequire } from "node:module"; const require = __bundleRequire(import.meta.url);' };
    options.mainFields = ["module", "main"];
  }
  esbuild.build(options).then(() => {
    if (c.sourcemap) relocateSourceMap(outfile, path.resolve(c.file));
  }, () => process.exit(1));
}

// relocateSourceMap names the sources as they stand beside the handler's
// file in the project, rather than from the directory the bundle is
// written in, which the image does not have.
function relocateSourceMap(outfile, handlerFile) {
  const mapFile = outfile + ".map";
  const map = JSON.parse(fs.readFileSync(mapFile, "utf8"));
  map.sources = map.sources.map((s) =>
    path.relative(path.dirname(handlerFile), path.resolve(path.dirname(outfile), s)));
  fs.writeFileSync(mapFile, JSON.stringify(map));
}

if (mode === "unbundled") unbundled();
else if (mode === "bundle") bundle();
else fail("unknown mode " + mode);
