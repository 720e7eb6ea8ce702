package preflight_test

import (
	"archive/zip"
	"bytes"
	"debug/elf"
	"encoding/binary"
	"encoding/json"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/buildkit-lambda/buildkit-lambda/internal/golden"
	"github.com/buildkit-lambda/buildkit-lambda/preflight"
)

var _ = golden.Update // every test binary takes -update

// elfFile is an ELF binary of this machine's architecture: the test binary.
func elfFile(t *testing.T) []byte {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dt, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	return dt
}

// fixture reads a file of testdata.
func fixture(t *testing.T, name string) []byte {
	t.Helper()
	dt, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return dt
}

func otherArch() string {
	if runtime.GOARCH == "arm64" {
		return "amd64"
	}
	return "arm64"
}

// file is one file of a test layer.
type file struct {
	data []byte
	mode os.FileMode
	// sparse makes the file this big, with no data.
	sparse int64
	// link makes it a symbolic link to link.
	link string
}

func TestRun(t *testing.T) {
	native := elfFile(t)
	js, py := file{data: []byte("exports.handler = 1"), mode: 0o644}, file{data: []byte("def handler(): pass"), mode: 0o644}
	for _, tc := range []struct {
		name  string
		in    preflight.Input
		files map[string]file
		// upper is a layer above files, when the case has two.
		upper map[string]file
		// want is the problems, each "check: part of the message".
		want []string
		// notes are the start of each note of checks that did not run.
		notes []string
	}{{
		name:  "node handler present",
		in:    preflight.Input{Runtime: "nodejs22", Handler: "src/app.handler", GOARCH: runtime.GOARCH},
		files: map[string]file{"var/task/src/app.mjs": js},
	}, {
		name:  "node handler missing",
		in:    preflight.Input{Runtime: "nodejs22", Handler: "app.handler", GOARCH: runtime.GOARCH},
		files: map[string]file{"var/task/index.js": js, "var/task/lib/x.js": js},
		want:  []string{"handler: handler app.handler needs /var/task/app.js or /var/task/app.mjs or /var/task/app.cjs, and the image has none; Lambda would fail every invocation with Runtime.ImportModuleError (Cannot find module). Check handler and build.output (the task root holds: index.js lib/)"},
	}, {
		name:  "java class in the task root",
		in:    preflight.Input{Runtime: "java21", Handler: "example.Handler::handleRequest", GOARCH: runtime.GOARCH},
		files: map[string]file{"var/task/example/Handler.class": {data: []byte("\xca\xfe\xba\xbe"), mode: 0o644}},
	}, {
		// A shaded jar holds the classes.
		name:  "java class in a jar",
		in:    preflight.Input{Runtime: "java21", Handler: "example.Handler", GOARCH: runtime.GOARCH},
		files: map[string]file{"var/task/lib/function.jar": {data: jar(t, map[string][]byte{"example/Handler.class": []byte("\xca\xfe\xba\xbe")}), mode: 0o644}},
	}, {
		name: "java class missing",
		in:   preflight.Input{Runtime: "java21", Handler: "example.Greeter::handleRequest", GOARCH: runtime.GOARCH},
		files: map[string]file{
			"var/task/example/Handler.class": {data: []byte("\xca\xfe\xba\xbe"), mode: 0o644},
			"var/task/lib/deps.jar":          {data: jar(t, map[string][]byte{"example/Other.class": nil}), mode: 0o644},
		},
		want: []string{"handler: handler example.Greeter::handleRequest needs /var/task/example/Greeter.class, or example/Greeter.class in a jar of /var/task/lib, and the image has none; Lambda would fail every invocation with java.lang.ClassNotFoundException"},
	}, {
		// Native code in a jar is loaded only when the code that needs it
		// runs: a warning, not a failure.
		name: "jar with native code for another architecture",
		in:   preflight.Input{Runtime: "java21", Handler: "example.Handler", GOARCH: otherArch()},
		files: map[string]file{
			"var/task/example/Handler.class": {data: []byte("\xca\xfe\xba\xbe"), mode: 0o644},
			"var/task/lib/native.jar":        {data: jar(t, map[string][]byte{"native/libfast.so": native}), mode: 0o644},
		},
		notes: []string{"warning: /var/task/lib/native.jar carries native code only for other architectures than " + otherArch()},
	}, {
		name: "jar with native code for each architecture",
		in:   preflight.Input{Runtime: "java21", Handler: "example.Handler", GOARCH: otherArch()},
		files: map[string]file{
			"var/task/example/Handler.class": {data: []byte("\xca\xfe\xba\xbe"), mode: 0o644},
			"var/task/lib/native.jar":        {data: jar(t, map[string][]byte{"native/libfast.so": native, "native/libfast-other.so": elfHeader(otherArch())}), mode: 0o644},
		},
	}, {
		name:  "python package handler",
		in:    preflight.Input{Runtime: "python3.13", Handler: "pkg.handler", GOARCH: runtime.GOARCH},
		files: map[string]file{"var/task/pkg/__init__.py": py},
	}, {
		name:  "python handler missing",
		in:    preflight.Input{Runtime: "python3.12", Handler: "pkg.app.handler", GOARCH: runtime.GOARCH},
		files: map[string]file{"var/task/app.py": py},
		want:  []string{"handler: handler pkg.app.handler needs /var/task/pkg/app.py or /var/task/pkg/app/__init__.py"},
	}, {
		// What the handler imports as it loads must be in the image:
		// dependencies in the task root, the runtime directory or /opt,
		// and the standard library, compiled in or in files.
		name: "python imports resolve",
		in:   preflight.Input{Runtime: "python3.12", Handler: "app.handler", GOARCH: runtime.GOARCH, BaseModules: []string{"json", "os"}},
		files: map[string]file{
			"var/task/app.py": {data: []byte(`"""Handler.

import notamodule
"""
from __future__ import annotations
import sys, json as j
import orjson
from humanize import naturalsize
from . import sibling
from pkg.sub import thing  # comment
import awslambdaric
import fastmod

try:
    import optional_speedup
except ImportError:
    pass

def handler(event, context):
    import lazily_imported
`), mode: 0o644},
			"var/task/orjson/orjson.cpython-312-x86_64-linux-gnu.so": {data: []byte("x"), mode: 0o644},
			"var/task/humanize.py":                               py,
			"var/task/pkg/sub.py":                                py,
			"opt/python/fastmod.cpython-312-x86_64-linux-gnu.so": {data: []byte("x"), mode: 0o644},
			"var/runtime/awslambdaric/__init__.py":               py,
		},
	}, {
		name:  "python import missing",
		in:    preflight.Input{Runtime: "python3.12", Handler: "app.handler", GOARCH: runtime.GOARCH, BaseModules: []string{"os"}},
		files: map[string]file{"var/task/app.py": {data: []byte("import os\nimport requests\nfrom pydantic import BaseModel\n"), mode: 0o644}},
		want:  []string{"imports: /var/task/app.py imports pydantic, requests, which the image does not have; Lambda would fail every invocation with Runtime.ImportModuleError (No module named 'pydantic')"},
	}, {
		// A base whose Python the checks cannot find: nothing is judged.
		name:  "python without a standard library to read",
		in:    preflight.Input{Runtime: "python3.12", Handler: "app.handler", GOARCH: runtime.GOARCH},
		files: map[string]file{"var/task/app.py": {data: []byte("import requests\n"), mode: 0o644}},
		notes: []string{"imports not checked: the image has no standard library"},
	}, {
		name:  "python import from the image's own library",
		in:    preflight.Input{Runtime: "python3.12", Handler: "app.handler", GOARCH: runtime.GOARCH},
		files: map[string]file{"var/task/app.py": {data: []byte("import os\n"), mode: 0o644}, "var/lang/lib/python3.12/os.py": py},
	}, {
		// Where Node.js looks: node_modules from the handler's directory
		// up, then the NODE_PATH of AWS's bootstrap (a layer's
		// /opt/nodejs, the runtime's SDK, the task root itself).
		name: "node imports resolve",
		in:   preflight.Input{Runtime: "nodejs22", Handler: "src/app.handler", GOARCH: runtime.GOARCH},
		files: map[string]file{
			"var/task/src/app.js": {data: []byte(`const fs = require("node:fs"), path = require("path");
const { S3Client } = require("@aws-sdk/client-s3");
const zod = require("zod");
const sharp = require("sharp/lib/index.js");
const shared = require("shared");
const local = require("local-lib");
const addon = require("addon");
try { require("optional-speedup") } catch {}
`), mode: 0o644},
			"var/task/src/node_modules/local-lib/index.js":             js,
			"var/task/node_modules/zod/package.json":                   js,
			"var/task/node_modules/sharp":                              {link: ".pnpm/sharp@0.33.5/node_modules/sharp"},
			"opt/nodejs/node22/node_modules/shared/index.js":           js,
			"var/runtime/node_modules/@aws-sdk/client-s3/package.json": js,
			"var/task/addon.node":                                      {data: native, mode: 0o644},
		},
	}, {
		// The classic: a package in devDependencies, which the image does
		// not install.
		name: "node import missing",
		in:   preflight.Input{Runtime: "nodejs22", Handler: "app.handler", GOARCH: runtime.GOARCH},
		files: map[string]file{
			"var/task/app.mjs": {data: []byte("import { z } from 'zod';\nimport { v4 } from \"uuid\";\nimport { S3Client } from '@aws-sdk/client-s3';\n"), mode: 0o644},
			"var/task/node_modules/@aws-sdk/client-sts/package.json": js,
			"var/task/node_modules/uuid/package.json":                js,
		},
		want: []string{"imports: /var/task/app.mjs imports @aws-sdk/client-s3, zod, which the image does not have; Lambda would fail every invocation with Runtime.ImportModuleError (Error: Cannot find module '@aws-sdk/client-s3'). Add @aws-sdk/client-s3 and zod to package.json's dependencies (the image installs no devDependencies)"},
	}, {
		name:  "go bootstrap right",
		in:    preflight.Input{Runtime: "go", Handler: "bootstrap", GOARCH: runtime.GOARCH},
		files: map[string]file{"var/runtime/bootstrap": {data: native, mode: 0o755}},
	}, {
		name:  "go bootstrap missing",
		in:    preflight.Input{Runtime: "go", Handler: "bootstrap", GOARCH: runtime.GOARCH},
		files: map[string]file{"var/task/readme": {data: []byte("x"), mode: 0o644}},
		want:  []string{"bootstrap: there is no /var/runtime/bootstrap file; Lambda would fail every invocation with Runtime.InvalidEntrypoint"},
	}, {
		name:  "go bootstrap not executable",
		in:    preflight.Input{Runtime: "go", Handler: "bootstrap", GOARCH: runtime.GOARCH},
		files: map[string]file{"var/runtime/bootstrap": {data: native, mode: 0o644}},
		want:  []string{"bootstrap: /var/runtime/bootstrap has mode 644 and is not executable"},
	}, {
		name:  "go bootstrap neither ELF nor script",
		in:    preflight.Input{Runtime: "go", Handler: "bootstrap", GOARCH: runtime.GOARCH},
		files: map[string]file{"var/task/bootstrap": {data: []byte("echo hi\n"), mode: 0o755}},
		want:  []string{"bootstrap: /var/task/bootstrap is not an ELF executable"},
	}, {
		name: "custom script bootstrap",
		in:   preflight.Input{Runtime: "provided.al2023", Handler: "function.handler", GOARCH: runtime.GOARCH},
		files: map[string]file{"var/task/bootstrap": {data: []byte("#!/bin/sh\nexec true\n"), mode: 0o755},
			"var/runtime/bootstrap": {link: "/var/task/bootstrap"}, "bin/sh": {data: native, mode: 0o755}},
	}, {
		name:  "custom script bootstrap without its interpreter",
		in:    preflight.Input{Runtime: "provided.al2023", Handler: "function.handler", GOARCH: runtime.GOARCH},
		files: map[string]file{"var/runtime/bootstrap": {data: []byte("#!/bin/bash -e\n"), mode: 0o755}, "bin/sh": {data: native, mode: 0o755}},
		want:  []string{"bootstrap: /var/runtime/bootstrap runs /bin/bash, which the image does not have"},
	}, {
		name: "custom script bootstrap through env",
		in:   preflight.Input{Runtime: "provided.al2023", Handler: "function.handler", GOARCH: runtime.GOARCH},
		files: map[string]file{"var/runtime/bootstrap": {data: []byte("#!/usr/bin/env python3\n"), mode: 0o755},
			"usr/bin/env": {data: native, mode: 0o755}, "usr/local/bin/node": {data: native, mode: 0o755}},
		want: []string{"bootstrap: /var/runtime/bootstrap runs python3 through env, and the image has no python3 in /var/lang/bin:/usr/local/bin:/usr/bin:/bin:/opt/bin"},
	}, {
		name:  "custom bootstrap missing",
		in:    preflight.Input{Runtime: "provided.al2023", Handler: "function.handler", GOARCH: runtime.GOARCH},
		files: map[string]file{"var/runtime/bootstrap": {link: "/var/task/bootstrap"}, "var/task/main.sh": {data: []byte("#!/bin/sh\n"), mode: 0o755}},
		want:  []string{"bootstrap: there is no /var/runtime/bootstrap file; Lambda would fail every invocation with Runtime.InvalidEntrypoint. A custom runtime's build.output must hold an executable named bootstrap"},
	}, {
		name:  "glibc of Amazon Linux 2023",
		in:    preflight.Input{Runtime: "rust", Handler: "bootstrap", GOARCH: "amd64", BaseLibraries: []string{"libc.so.6"}},
		files: map[string]file{"var/runtime/bootstrap": {data: fixture(t, "glibc-2.34.elf"), mode: 0o755}, "lib64/ld-linux-x86-64.so.2": {data: native, mode: 0o755}},
	}, {
		name:  "glibc newer than Amazon Linux 2023's",
		in:    preflight.Input{Runtime: "rust", Handler: "bootstrap", GOARCH: "amd64", BaseLibraries: []string{"libc.so.6"}},
		files: map[string]file{"var/runtime/bootstrap": {data: fixture(t, "glibc-2.36.elf"), mode: 0o755}, "lib64/ld-linux-x86-64.so.2": {data: native, mode: 0o755}},
		want:  []string{"bootstrap: /var/runtime/bootstrap needs glibc 2.36 (for arc4random@GLIBC_2.36), newer than the 2.34 of Amazon Linux 2023, which provided.al2023 runs on"},
	}, {
		name:  "glibc newer than Amazon Linux 2's",
		in:    preflight.Input{Runtime: "provided.al2", Handler: "bootstrap", GOARCH: "amd64", BaseLibraries: []string{"libc.so.6"}},
		files: map[string]file{"var/task/bootstrap": {data: fixture(t, "glibc-2.34.elf"), mode: 0o755}, "lib64/ld-linux-x86-64.so.2": {data: native, mode: 0o755}},
		want:  []string{"bootstrap: /var/task/bootstrap needs glibc 2.34 (for __libc_start_main@GLIBC_2.34), newer than the 2.26 of Amazon Linux 2, which provided.al2 runs on"},
	}, {
		name:  "native library newer than the runtime's glibc",
		in:    preflight.Input{Runtime: "python3.11", Handler: "app.handler", GOARCH: "amd64"},
		files: map[string]file{"var/task/app.py": py, "var/task/fast/_speedups.so": {data: fixture(t, "glibc-2.36.elf"), mode: 0o644}},
		want:  []string{"native code: /var/task/fast/_speedups.so needs glibc 2.36 (for arc4random@GLIBC_2.36), newer than the 2.26 of Amazon Linux 2"},
	}, {
		name:  "dynamic bootstrap without its loader",
		in:    preflight.Input{Runtime: "provided.al2023", Handler: "bootstrap", GOARCH: "amd64"},
		files: map[string]file{"var/runtime/bootstrap": {data: fixture(t, "glibc-2.34.elf"), mode: 0o755}},
		want:  []string{"bootstrap: /var/runtime/bootstrap is linked to load with /lib64/ld-linux-x86-64.so.2, which the image does not have"},
	}, {
		// libs.elf needs libz.so.1 and libc.so.6: one on LD_LIBRARY_PATH in
		// the layers, the other in the base, as Base lists it.
		name: "bootstrap's shared libraries on the library path and in the base",
		in: preflight.Input{Runtime: "provided.al2023", Handler: "bootstrap", GOARCH: "amd64",
			LibraryPath: "/var/lang/lib:/lib64:/var/task/lib:/opt/lib", BaseLibraries: []string{"libc.so.6", "libm.so.6"}},
		files: map[string]file{"var/runtime/bootstrap": {data: fixture(t, "libs.elf"), mode: 0o755}, "lib64/ld-linux-x86-64.so.2": {data: native, mode: 0o755},
			"opt/lib/libz.so.1": {link: "libz.so.1.2.13"}, "opt/lib/libz.so.1.2.13": {data: native, mode: 0o644}},
	}, {
		// Its run path, $ORIGIN/lib, from where the link to it leads; and
		// the loader's own directories, in an image checked whole.
		name: "bootstrap's shared libraries through its run path",
		in:   preflight.Input{Runtime: "provided.al2023", Handler: "bootstrap", GOARCH: "amd64"},
		files: map[string]file{"var/runtime/bootstrap": {link: "/var/task/bootstrap"}, "var/task/bootstrap": {data: fixture(t, "libs.elf"), mode: 0o755},
			"var/task/lib/libz.so.1": {data: native, mode: 0o644}, "usr/lib64/libc.so.6": {data: native, mode: 0o755},
			"lib64": {link: "usr/lib64"}, "usr/lib64/ld-linux-x86-64.so.2": {data: native, mode: 0o755}},
	}, {
		// Linked on a build image that has zlib, for a base that has not.
		name: "bootstrap's shared library missing",
		in: preflight.Input{Runtime: "provided.al2023", Handler: "bootstrap", GOARCH: "amd64",
			LibraryPath: "/var/lang/lib:/lib64:/var/task/lib:/opt/lib", BaseLibraries: []string{"libc.so.6", "libzstd.so.1"}},
		files: map[string]file{"var/runtime/bootstrap": {data: fixture(t, "libs.elf"), mode: 0o755}, "lib64/ld-linux-x86-64.so.2": {data: native, mode: 0o755},
			"var/task/vendor/libz.so.1": {data: native, mode: 0o644}},
		want: []string{"bootstrap: /var/runtime/bootstrap needs libz.so.1, which the image does not have where the dynamic loader looks (/var/runtime/lib:/var/lang/lib:/lib64:/var/task/lib:/opt/lib:/usr/lib64:/lib:/usr/lib, and the base image's library directories); Lambda would fail with Runtime.ExitError (error while loading shared libraries: libz.so.1: cannot open shared object file). Link it statically, or ship it in /var/task/lib or /opt/lib"},
	}, {
		name: "extension's shared library missing",
		in: preflight.Input{Runtime: "python3.12", Handler: "app.handler", GOARCH: "amd64",
			LibraryPath: "/var/lang/lib:/lib64:/var/task/lib:/opt/lib", BaseLibraries: []string{"libc.so.6"}},
		files: map[string]file{"var/task/app.py": py, "opt/extensions/agent": {data: fixture(t, "libs.elf"), mode: 0o755},
			"lib64/ld-linux-x86-64.so.2": {data: native, mode: 0o755}},
		want: []string{"extension: /opt/extensions/agent needs libz.so.1, which the image does not have where the dynamic loader looks (/opt/extensions/lib:/var/lang/lib:/lib64:/var/task/lib:/opt/lib:/usr/lib64:/lib:/usr/lib, and the base image's library directories); Lambda would fail with Extension.Crash"},
	}, {
		// No glibc where the checks look: they cannot tell what the
		// loader finds, and say so.
		name:  "shared libraries of an image without glibc",
		in:    preflight.Input{Runtime: "provided.al2023", Handler: "bootstrap", GOARCH: "amd64"},
		files: map[string]file{"var/runtime/bootstrap": {data: fixture(t, "libs.elf"), mode: 0o755}, "lib64/ld-linux-x86-64.so.2": {data: native, mode: 0o755}},
		notes: []string{"shared libraries of /var/runtime/bootstrap not checked: the image has no libc.so.6 where the checks look"},
	}, {
		name:  "go bootstrap a package archive",
		in:    preflight.Input{Runtime: "go", Handler: "bootstrap", GOARCH: runtime.GOARCH},
		files: map[string]file{"var/runtime/bootstrap": {data: []byte("!<arch>\n__.PKGDEF       0           0     0     644     262       `\n"), mode: 0o755}},
		want:  []string{"bootstrap: /var/runtime/bootstrap is a Go package archive, not a program: go.main names a package that is not package main"},
	}, {
		name:  "go bootstrap wrong arch",
		in:    preflight.Input{Runtime: "go", Handler: "bootstrap", GOARCH: otherArch()},
		files: map[string]file{"var/runtime/bootstrap": {data: native, mode: 0o755}},
		want:  []string{"but the image is for " + otherArch() + "; Lambda would fail with Runtime.InvalidEntrypoint (exec format error)"},
	}, {
		name: "native module of another arch",
		in:   preflight.Input{Runtime: "nodejs22", Handler: "app.handler", GOARCH: otherArch()},
		files: map[string]file{"var/task/app.js": js, "var/task/node_modules/sharp/build/sharp.node": {data: native, mode: 0o644},
			"var/task/lib/libz.so.1": {data: native, mode: 0o644}, "var/task/data.so": {data: []byte("not elf"), mode: 0o644}},
		want: []string{"native code: /var/task/lib/libz.so.1 is native code for", "native code: /var/task/node_modules/sharp/build/sharp.node is native code for"},
	}, {
		name: "unreadable",
		in:   preflight.Input{Runtime: "python3.12", Handler: "app.handler", GOARCH: runtime.GOARCH},
		files: map[string]file{"var/task/app.py": py, "var/task/config.ini": {data: []byte("x"), mode: 0o600},
			"usr/share/private": {data: []byte("outside what the frontend adds"), mode: 0o600}},
		want: []string{"permissions: /var/task/config.ini has mode 600; Lambda runs the function as a user that cannot read it"},
	}, {
		// What Lambda starts from /opt/extensions must start: executable,
		// for the image's architecture, its interpreter in the image.
		name: "extensions",
		in:   preflight.Input{Runtime: "python3.12", Handler: "app.handler", GOARCH: otherArch()},
		files: map[string]file{
			"var/task/app.py":              py,
			"bin/sh":                       {data: []byte("stub"), mode: 0o755},
			"opt/extensions/agent":         {data: native, mode: 0o755},
			"opt/extensions/cache.sh":      {data: []byte("#!/bin/sh\nexec /opt/cache/run\n"), mode: 0o755},
			"opt/extensions/notexec":       {data: []byte("#!/bin/sh\n"), mode: 0o644},
			"opt/extensions/python-ext":    {data: []byte("#!/usr/bin/python3\n"), mode: 0o755},
			"opt/extensions/lib/README.md": {data: []byte("a directory is not started"), mode: 0o644},
			"opt/agent/config.yaml":        {data: []byte("x"), mode: 0o600},
		},
		want: []string{
			"extension: /opt/extensions/agent is built for " + map[string]string{"amd64": "EM_X86_64", "arm64": "EM_AARCH64"}[runtime.GOARCH] + ", but the image is for " + otherArch(),
			"extension: /opt/extensions/notexec has mode 644 and is not executable; Lambda would fail with Extension.LaunchError",
			"extension: /opt/extensions/python-ext runs /usr/bin/python3, which the image does not have; Lambda would fail with Extension.LaunchError",
			"permissions: /opt/agent/config.yaml has mode 600",
		},
	}, {
		// A sparse file: its size counts, and it takes no disk.
		name:  "over the size limit",
		in:    preflight.Input{Runtime: "python3.12", Handler: "app.handler", GOARCH: runtime.GOARCH},
		files: map[string]file{"var/task/app.py": py, "opt/model.bin": {sparse: preflight.MaxImageBytes + 1, mode: 0o644}},
		want:  []string{"size: the image holds 10.0 GiB of files; Lambda refuses images over 10 GiB uncompressed"},
	}, {
		// The base image's size, measured apart, with the code's 19 bytes.
		name:  "over the size limit with the base image measured apart",
		in:    preflight.Input{Runtime: "python3.12", Handler: "app.handler", GOARCH: runtime.GOARCH, BaseBytes: preflight.MaxImageBytes - 10},
		files: map[string]file{"var/task/app.py": py},
		want:  []string{"size: the image holds 10.0 GiB of files"},
	}, {
		name:  "handler in the layer above the dependencies",
		in:    preflight.Input{Runtime: "python3.12", Handler: "app.handler", GOARCH: runtime.GOARCH},
		files: map[string]file{"var/task/six.py": py},
		upper: map[string]file{"var/task/app.py": py},
	}, {
		name:  "task root listed from every layer",
		in:    preflight.Input{Runtime: "nodejs22", Handler: "app.handler", GOARCH: runtime.GOARCH},
		files: map[string]file{"var/task/node_modules/x/index.js": js},
		upper: map[string]file{"var/task/index.js": js},
		want:  []string{"(the task root holds: index.js node_modules/)"},
	}, {
		name:  "a file hidden by the layer above is not checked",
		in:    preflight.Input{Runtime: "python3.12", Handler: "app.handler", GOARCH: runtime.GOARCH},
		files: map[string]file{"var/task/app.py": py, "var/task/config.ini": {data: []byte("x"), mode: 0o600}},
		upper: map[string]file{"var/task/config.ini": {data: []byte("y"), mode: 0o644}},
	}, {
		name:  "a directory hidden by a file above is not checked",
		in:    preflight.Input{Runtime: "nodejs22", Handler: "app.handler", GOARCH: otherArch()},
		files: map[string]file{"var/task/app.js": js, "var/task/lib/sharp.node": {data: native, mode: 0o644}},
		upper: map[string]file{"var/task/lib": {data: []byte("x"), mode: 0o644}},
	}, {
		// Each half alone is under the limit; counted twice they are over.
		name:  "a hidden file counts once toward the size",
		in:    preflight.Input{Runtime: "python3.12", Handler: "app.handler", GOARCH: runtime.GOARCH},
		files: map[string]file{"var/task/app.py": py, "opt/model.bin": {sparse: preflight.MaxImageBytes/2 + 1, mode: 0o644}},
		upper: map[string]file{"opt/model.bin": {sparse: preflight.MaxImageBytes/2 + 1, mode: 0o644}},
	}, {
		name:  "absolute link resolved in the image, across layers",
		in:    preflight.Input{Runtime: "go", Handler: "bootstrap", GOARCH: runtime.GOARCH},
		files: map[string]file{"var/runtime/bootstrap": {link: "/opt/bin/bootstrap"}},
		upper: map[string]file{"opt/bin/bootstrap": {data: native, mode: 0o755}},
	}, {
		name:  "relative link to a parent directory",
		in:    preflight.Input{Runtime: "python3.12", Handler: "app.handler", GOARCH: runtime.GOARCH},
		files: map[string]file{"opt/src/app.py": py, "var/task/app.py": {link: "../../opt/src/app.py"}},
	}, {
		name:  "link loop",
		in:    preflight.Input{Runtime: "python3.12", Handler: "app.handler", GOARCH: runtime.GOARCH},
		files: map[string]file{"var/task/app.py": {link: "b.py"}, "var/task/b.py": {link: "app.py"}},
		want:  []string{"handler: handler app.handler needs /var/task/app.py or /var/task/app/__init__.py, and the image has none"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			dirs := []string{writeLayer(t, tc.files)}
			if tc.upper != nil {
				dirs = append(dirs, writeLayer(t, tc.upper))
			}
			if strings.HasPrefix(string(tc.in.Runtime), "python") && tc.in.BaseModules == nil && tc.notes == nil {
				// A Python base image has its standard library; the one
				// case without it says so with its notes.
				tc.in.BaseModules = []string{"os"}
			}
			report, err := preflight.Run(dirs, tc.in)
			if err != nil {
				t.Fatal(err)
			}
			problems := report.Problems
			if len(report.Notes) != len(tc.notes) {
				t.Errorf("notes %q, want %q", report.Notes, tc.notes)
			}
			for i, n := range tc.notes {
				if i < len(report.Notes) && !strings.HasPrefix(report.Notes[i], n) {
					t.Errorf("note %q, want one starting %q", report.Notes[i], n)
				}
			}
			var got []string
			for _, p := range problems {
				got = append(got, p.String())
			}
			if len(got) != len(tc.want) {
				t.Fatalf("problems:\n%s\nwant %d like:\n%s", strings.Join(got, "\n"), len(tc.want), strings.Join(tc.want, "\n"))
			}
			for i, w := range tc.want {
				if !strings.HasPrefix(got[i], w) && !strings.Contains(got[i], w) {
					t.Errorf("problem %d is %q, want %q", i, got[i], w)
				}
			}
		})
	}
}

// elfHeader is the start of a little-endian 64-bit ELF file for an
// architecture, as much as a check of the machine reads.
func elfHeader(goarch string) []byte {
	machine := map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64}[goarch]
	h := make([]byte, 64)
	copy(h, elf.ELFMAG)
	h[elf.EI_CLASS], h[elf.EI_DATA], h[elf.EI_VERSION] = byte(elf.ELFCLASS64), byte(elf.ELFDATA2LSB), byte(elf.EV_CURRENT)
	binary.LittleEndian.PutUint16(h[18:], uint16(machine))
	return h
}

// jar packs files into a jar, as zip.
func jar(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, name := range slices.Sorted(maps.Keys(files)) {
		f, err := w.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write(files[name]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// writeLayer makes a layer directory holding files.
func writeLayer(t *testing.T, files map[string]file) string {
	t.Helper()
	root := t.TempDir()
	for name, f := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if f.link != "" {
			if err := os.Symlink(f.link, p); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.WriteFile(p, f.data, f.mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, f.mode); err != nil { // past the umask
			t.Fatal(err)
		}
		if f.sparse > 0 {
			if err := os.Truncate(p, f.sparse); err != nil {
				t.Fatal(err)
			}
		}
	}
	return root
}

// TestBase prepares a base image and checks an image on it with what Base
// kept: the base's task root and runtime directory are checked as before,
// and the rest counts toward the size alone.
func TestBase(t *testing.T) {
	root := writeLayer(t, map[string]file{
		"opt/model.bin":             {sparse: 1 << 20, mode: 0o644},
		"usr/bin/tool":              {data: []byte("12345"), mode: 0o755},
		"var/task/private.conf":     {data: []byte("abc"), mode: 0o600},
		"var/task/vendor/readme.md": {data: []byte("abcd"), mode: 0o644},
		"var/runtime/bootstrap":     {link: "/usr/bin/tool"},
		"bin":                       {link: "usr/bin"},
		// The base's Python: a module, a package, an extension module,
		// an installed package, and metadata that is no module.
		"usr/lib/python3.11/json/__init__.py":                                {data: []byte("x"), mode: 0o644},
		"usr/lib/python3.11/os.py":                                           {data: []byte("x"), mode: 0o644},
		"usr/lib/python3.11/lib-dynload/_ssl.cpython-311.so":                 {data: []byte("x"), mode: 0o644},
		"var/lang/lib/python3.12/site-packages/boto3/__init__.py":            {data: []byte("x"), mode: 0o644},
		"var/lang/lib/python3.12/site-packages/boto3-1.0.dist-info/METADATA": {data: []byte("x"), mode: 0o644},
		// Shared libraries where the loader looks: LD_LIBRARY_PATH (through
		// a link), its own directories, and those of ld.so.conf and the
		// files it includes; and one where it does not.
		"lib64":                                {link: "usr/lib64"},
		"usr/lib64/libc.so.6":                  {data: []byte("x"), mode: 0o755},
		"var/lang/lib/libpython3.12.so.1.0":    {data: []byte("x"), mode: 0o644},
		"etc/ld.so.conf":                       {data: []byte("# the loader's cache\ninclude ld.so.conf.d/*.conf\n"), mode: 0o644},
		"etc/ld.so.conf.d/x86_64.conf":         {data: []byte("/usr/lib/x86_64-linux-gnu\n"), mode: 0o644},
		"usr/lib/x86_64-linux-gnu/libssl.so.3": {data: []byte("x"), mode: 0o644},
		"usr/lib/x86_64-linux-gnu/libz.so.1":   {link: "libz.so.1.2.13"},
		"usr/lib/x86_64-linux-gnu/README":      {data: []byte("x"), mode: 0o644},
		"usr/share/plugins/libplugin.so":       {data: []byte("x"), mode: 0o644},
	})
	if err := os.Chmod(filepath.Join(root, "var", "task", "vendor"), 0o700); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	facts, err := preflight.Base(root, out, "/var/lang/lib:/lib64:/usr/lib64")
	rest, modules := facts.Size, facts.Modules
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"libc.so.6", "libpython3.12.so.1.0", "libssl.so.3", "libz.so.1"}; !slices.Equal(facts.Libraries, want) {
		t.Errorf("Base listed the libraries %q, want %q", facts.Libraries, want)
	}
	if want := []string{"_ssl", "boto3", "json", "os"}; !slices.Equal(modules, want) {
		t.Errorf("Base found the modules %q, want %q", modules, want)
	}
	// The model, the tool, the Python files, and the libraries and
	// ld.so.conf (5 and 75 bytes).
	if want := int64(1<<20 + 5 + 5 + 5 + 75); rest != want {
		t.Errorf("Base = %d bytes, want %d: the files outside the task root and runtime directory", rest, want)
	}
	// The stand-in lists the task root, the runtime directory and the
	// programs, with the directories on the way, and keeps the task
	// root's files.
	dt, err := os.ReadFile(filepath.Join(out, "listing.json"))
	if err != nil {
		t.Fatal(err)
	}
	var listing []struct {
		Path string
		Mode fs.FileMode
		Size int64
		Kept bool
	}
	if err := json.Unmarshal(dt, &listing); err != nil {
		t.Fatal(err)
	}
	listed := map[string]fs.FileMode{}
	for _, l := range listing {
		listed[l.Path] = l.Mode
		if l.Path == "/usr/bin/tool" && (l.Size != 0 || l.Kept) {
			t.Errorf("Base listed /usr/bin/tool with %d bytes, kept %v; the checks only ask whether it is there, and its size counts in the rest", l.Size, l.Kept)
		}
		if kept := strings.HasPrefix(l.Path, "/var/task/") && l.Mode.IsRegular(); kept != l.Kept {
			t.Errorf("Base kept %s: %v, want %v", l.Path, l.Kept, kept)
		}
	}
	for p, want := range map[string]fs.FileMode{
		"/":                          fs.ModeDir | 0o755,
		"/var/task/private.conf":     0o600,
		"/var/task/vendor":           fs.ModeDir | 0o700,
		"/var/task/vendor/readme.md": 0o644,
		"/var/runtime/bootstrap":     fs.ModeSymlink | 0o777,
		// Programs are listed, for the interpreter check.
		"/usr/bin":      fs.ModeDir | 0o755,
		"/usr/bin/tool": 0o755,
		"/bin":          fs.ModeSymlink | 0o777,
	} {
		if got, ok := listed[p]; !ok {
			t.Errorf("Base did not list %s", p)
		} else if got != want {
			t.Errorf("Base listed %s with mode %s, want %s", p, got, want)
		}
	}
	for _, p := range []string{"/opt", "/usr/share", "/usr/lib/x86_64-linux-gnu/libssl.so.3"} {
		if _, ok := listed[p]; ok {
			t.Errorf("Base listed %s, which the checks do not read", p)
		}
	}
	if got, err := os.ReadFile(filepath.Join(out, "files", "var", "task", "vendor", "readme.md")); string(got) != "abcd" {
		t.Errorf("Base kept /var/task/vendor/readme.md as %q (%v), want its content", got, err)
	}

	code := writeLayer(t, map[string]file{"var/task/app.py": {data: []byte("import json, os\nimport boto3\ndef handler(): pass"), mode: 0o644}})
	for interpreter, want := range map[string]int{"/bin/tool": 0, "/bin/other": 1} {
		script := writeLayer(t, map[string]file{"var/runtime/bootstrap": {data: []byte("#!" + interpreter + "\n"), mode: 0o755}})
		report, err := preflight.Run([]string{out, script}, preflight.Input{Runtime: "provided.al2023", GOARCH: runtime.GOARCH, StandIns: []string{out}})
		if err != nil {
			t.Fatal(err)
		}
		got := slices.DeleteFunc(report.Problems, func(p preflight.Problem) bool { return p.Check != "bootstrap" })
		if len(got) != want {
			t.Errorf("a script run by %s: %d bootstrap problems (%v), want %d", interpreter, len(got), got, want)
		}
	}
	report, err := preflight.Run([]string{out, code}, preflight.Input{Runtime: "python3.12", Handler: "app.handler", GOARCH: runtime.GOARCH, BaseBytes: rest, BaseModules: modules, StandIns: []string{out}})
	if err != nil {
		t.Fatal(err)
	}
	problems := report.Problems
	if len(report.Notes) > 0 {
		t.Errorf("notes %q: the base's standard library was found, so imports were checked", report.Notes)
	}
	var got []string
	for _, p := range problems {
		got = append(got, p.String())
	}
	want := []string{
		"permissions: /var/task/private.conf has mode 600; Lambda runs the function as a user that cannot read it. Make it a+r",
		"permissions: directory /var/task/vendor has mode 700; Lambda runs the function as a user that cannot list it. Make it a+rx",
	}
	if !slices.Equal(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
