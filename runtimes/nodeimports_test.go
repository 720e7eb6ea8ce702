package runtimes_test

import (
	"slices"
	"testing"

	"github.com/buildkit-lambda/buildkit-lambda/runtimes"
)

func TestNodeImports(t *testing.T) {
	imp := runtimes.Node.(runtimes.Importer)
	for _, tc := range []struct {
		name string
		src  string
		want []string
	}{{
		name: "commonjs, as tsc writes it",
		src: `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const client_s3_1 = require("@aws-sdk/client-s3");
const zod_1 = __importDefault(require("zod"));
const fs = require('node:fs'), path = require("path");
const { v4 } = require('uuid/v4');
`,
		want: []string{"@aws-sdk/client-s3", "node:fs", "path", "uuid", "zod"},
	}, {
		name: "es module, one line and several",
		src: `import { S3Client } from "@aws-sdk/client-s3";
import * as z from 'zod';
import 'dotenv/config';
import def, { a as b } from "lodash-es";
import {
  thing,
  other,
} from "@scope/pkg/sub/path.js";
export { handler } from "./impl.js";
export * from "re-exported";
`,
		want: []string{"@aws-sdk/client-s3", "@scope/pkg", "dotenv", "lodash-es", "re-exported", "zod"},
	}, {
		name: "esbuild's bundle: externals at column 0, its modules indented",
		src: `var __create = Object.create;
var import_sharp = __toESM(require("sharp"));
var require_lib = __commonJS({
  "node_modules/lib/index.js"(exports2, module2) {
    var maybe = require("optional-native");
  }
});
`,
		want: []string{"sharp"},
	}, {
		name: "what may never load is left out",
		src: `try { require("optional-a") } catch {}
const b = process.env.X ? require("optional-b") : null;
const c = lazy || require("optional-c");
const d = () => require("optional-d");
function e() { return require("optional-e") }
if (x) require("optional-f");
const g = await import("dynamic-g");
const h = require.resolve("resolved-h");
const i = __require("bundler-i");
const j = cfg ?? require("optional-j");
`,
		want: nil,
	}, {
		name: "comments, strings and templates",
		src: `// const a = require("commented-a");
/* const b = require("commented-b");
const c = require("commented-c"); */
const msg = ` + "`" + `
import x from "in-template"
const y = require("in-template-too")
` + "`" + `;
const s = "require('in-a-string')"; const t = require("real-t");
const u = require("if-then"); // a package whose name holds a keyword
const v = require("real-v") // require("after-comment")
`,
		want: []string{"if-then", "real-t", "real-v"},
	}, {
		name: "files, URLs and subpath imports are not packages",
		src: `const a = require("./a");
const b = require("../b.json");
const c = require("/opt/c.js");
import d from "#internal";
import e from "data:text/javascript,export default 1";
import f from "@";
`,
		want: nil,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			if got := imp.Imports([]byte(tc.src)); !slices.Equal(got, tc.want) {
				t.Errorf("Imports = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestNodeModuleDirs(t *testing.T) {
	imp := runtimes.Node.(runtimes.Importer)
	rt, ok := runtimes.Lookup("nodejs22")
	if !ok {
		t.Fatal("no nodejs22 row")
	}
	got := imp.ModuleDirs(rt, "/var/task/src/app.js")
	want := []string{
		"/var/task/src/node_modules", "/var/task/node_modules", "/var/node_modules", "/node_modules",
		"/opt/nodejs/node22/node_modules", "/opt/nodejs/node_modules", "/var/runtime/node_modules", "/var/runtime", "/var/task",
	}
	if !slices.Equal(got, want) {
		t.Errorf("ModuleDirs = %q\nwant %q", got, want)
	}
	for _, tc := range []struct {
		entry, name string
		want        bool
	}{
		{"zod", "zod", true}, {"lib.js", "lib", true}, {"data.json", "data", true}, {"addon.node", "addon", true},
		{"zod-extra", "zod", false}, {"lib.mjs", "lib", false},
	} {
		if got := imp.Provides(tc.entry, tc.name); got != tc.want {
			t.Errorf("Provides(%q, %q) = %v, want %v", tc.entry, tc.name, got, tc.want)
		}
	}
	for m, want := range map[string]bool{"fs": true, "node:test": true, "node:sqlite": true, "worker_threads": true, "lodash": false, "test": false} {
		if got := imp.Builtin(m); got != want {
			t.Errorf("Builtin(%q) = %v, want %v", m, got, want)
		}
	}
}
