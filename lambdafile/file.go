package lambdafile

import "strings"

// File is lambda.yaml: one AWS Lambda function, built into a container image
// on the AWS base image of its runtime.
type File struct {
	// Runtime is the Lambda runtime the function runs on. It chooses the base
	// image, the compile stage and how dependencies are installed.
	Runtime Runtime `yaml:"runtime" required:"true"`

	// Handler is what the runtime calls, and becomes the image's CMD.
	// Node.js: "file.export" (app.handler calls the export handler of app.js,
	// app.mjs or app.cjs; src/app.handler looks in src/). Python:
	// "module.function" (pkg.app.handler calls handler in pkg/app.py).
	// Required for Node.js and Python. Go and Rust build an executable named
	// bootstrap and the handler defaults to "bootstrap". A custom runtime
	// (provided.al2023, provided.al2) gets it as _HANDLER, to read as it
	// likes; it defaults to "bootstrap".
	Handler string `yaml:"handler"`

	// Architecture is the instruction set the function runs on in Lambda:
	// x86_64 (linux/amd64, the default) or arm64 (linux/arm64). An explicit
	// --platform wins over it, with a warning when the two disagree.
	Architecture Architecture `yaml:"architecture"`

	// Base replaces the final base image, for a mirror or a digest pin, for
	// example public.ecr.aws/lambda/nodejs:22@sha256:... It must be an AWS
	// Lambda base image or one with the same layout.
	Base string `yaml:"base"`

	// Workspace is the directory of the function's package in a monorepo
	// (npm, pnpm or yarn 2+ workspaces), relative to the build context, which is then the
	// repository's root: docker buildx build -f services/orders/lambda.yaml
	// with workspace: services/orders. The root's lockfile is installed,
	// the image gets the production dependencies of this package alone,
	// the workspace packages it depends on included, and handler,
	// build.output and build.commands are relative to this directory.
	Workspace string `yaml:"workspace"`

	// Build controls the compile stage.
	Build Build `yaml:"build"`

	// Go holds the settings of the go runtime.
	Go Go `yaml:"go"`

	// Rust holds the settings of the rust runtime.
	Rust Rust `yaml:"rust"`

	// Extensions are Lambda extensions, such as the Lambda Web Adapter, an
	// observability agent or a secrets cache, each an image or a layer's
	// .zip in the build context. Each becomes a layer of its own, above the
	// base image and below the dependencies: an image's /opt (the
	// extension in /opt/extensions and what it carries), as AWS documents
	// for images (COPY --from=IMAGE /opt /opt), or a .zip unpacked into
	// /opt, as Lambda unpacks a layer. A name ending in .zip is a file,
	// relative to the build context, like extensions/agent.zip; any other is
	// an image, resolved for the target platform, which --build-context can
	// replace as any other image. A .zip function takes extensions as
	// layers, so --target zip leaves them out.
	Extensions []string `yaml:"extensions"`

	// Package shapes the .zip deployment package (docker buildx build
	// --target zip) and the Lambda layer (--target layer).
	Package Package `yaml:"package"`

	// Test lists invocations the build makes of the finished image, after
	// the preflight checks, the way Lambda makes them: the image's
	// entrypoint starts as a non-root user on a read-only file system with
	// a writable /tmp, and the frontend serves it the Runtime API, with no
	// network. A test that does not get the answer it expects fails the
	// build with the function's error and logs. Tests run when the image's
	// architecture is the builder's, or the builder emulates it; otherwise
	// the build warns that they were skipped. --target image-untested
	// builds the image without them.
	Test []Test `yaml:"test"`

	// Env is baked into the image as environment variables the function sees
	// at run time. Names reserved by Lambda (_HANDLER, AWS_REGION,
	// LAMBDA_TASK_ROOT, ...) are refused. Never put credentials here: they
	// end up in the image config for anyone who can pull it; see secrets.
	Env map[string]string `yaml:"env"`

	// Labels are added to the image config.
	Labels map[string]string `yaml:"labels"`

	// Args declares build arguments (docker buildx build --build-arg
	// NAME=value) and their default values. Build commands see them as
	// environment variables, and values of env and build.env may use them
	// as ${NAME} ($$ is a literal $). TARGETPLATFORM, TARGETOS, TARGETARCH,
	// TARGETVARIANT, BUILDPLATFORM, BUILDOS, BUILDARCH and BUILDVARIANT are
	// predefined: env and build.env may always use them, and build commands
	// see one when it is listed here with no value ("TARGETARCH:"), as
	// with a Dockerfile's ARG. Args are not secrets: their values are
	// recorded in the build history.
	Args map[string]string `yaml:"args"`

	// Secrets are BuildKit secrets (docker buildx build --secret id=...)
	// mounted into the dependency install and build steps, for a private
	// package index, an .npmrc or an extra CA bundle. They never reach the
	// image.
	Secrets []Secret `yaml:"secrets"`

	// SSH forwards SSH agent sockets (docker buildx build --ssh default)
	// into the dependency install and build steps, for dependencies fetched
	// from private git repositories over SSH. true forwards the default
	// agent; a list names the --ssh ids. The first socket is SSH_AUTH_SOCK.
	SSH SSH `yaml:"ssh"`

	file      string
	positions map[string]Pos
}

// IsExtensionZip says whether an entry of extensions names a .zip in the
// build context rather than an image.
func IsExtensionZip(ext string) bool { return strings.HasSuffix(ext, ".zip") }

// OwnLabelPrefix starts the names of the labels the frontend sets on every
// image; lambda.yaml's labels cannot use it.
const OwnLabelPrefix = "com.github.buildkit-lambda."

// Build controls the compile stage, where dependencies are installed and the
// build commands run.
type Build struct {
	// Commands run one after the other in the compile stage, after the
	// dependencies are installed and the sources copied, with /bin/sh -c in
	// the directory holding the sources. For example "npm run build". For
	// Java they replace the frontend's compile (mvn compile, or Gradle's
	// classes), and run with the network and the build tool's download
	// cache, for goals like package.
	Commands []string `yaml:"commands"`

	// Output is the directory, relative to the sources, whose contents become
	// the task root (/var/task). For a custom runtime it must hold an
	// executable named bootstrap, which becomes /var/runtime/bootstrap. It
	// defaults to the sources themselves, less
	// lambda.yaml, .dockerignore, the dependency manifests (the dependency
	// layer holds the package.json Node reads) and the node_modules npm
	// installs for the build commands. The sources never hold the context's
	// node_modules, __pycache__ and virtualenvs; what the build commands
	// write is kept. For Java it defaults to target/classes, the compiled
	// classes and resources (Maven's, or those the frontend's Gradle task
	// gathers there); a jar, such as a shaded jar the
	// build commands make with its dependencies, ships alone in
	// /var/task/lib. Not used by the go and rust runtimes, whose output is
	// the bootstrap binary.
	Output string `yaml:"output"`

	// Image replaces the compile-stage image. The default is the Lambda base
	// image of the runtime for Node.js, Python and custom runtimes,
	// golang:VERSION for Go, rust:VERSION for Rust and
	// maven:3.9-amazoncorretto-VERSION for Java. A custom runtime
	// whose bootstrap is compiled names an image with its compiler here.
	Image string `yaml:"image"`

	// Env is the environment of the compile stage's steps, the dependency
	// install and the build commands, and never reaches the image. For
	// settings of the package managers such as GOPRIVATE,
	// NPM_CONFIG_REGISTRY or PIP_TRUSTED_HOST; credentials belong in secrets.
	Env map[string]string `yaml:"env"`

	// PackageManager chooses the package manager instead of the project's
	// files, for a project whose files could select another (a
	// package-lock.json beside pnpm-lock.yaml, or a requirements.txt
	// exported beside uv.lock). Node.js: npm, pnpm, yarn or bun, optionally
	// at a version, like pnpm@10.34.9, which wins over package.json's
	// packageManager. Python: pip (requirements.txt, else pyproject.toml),
	// uv, poetry or pipenv, whose lockfiles the frontend reads itself, so
	// no version applies. Its lockfile must be in the build context.
	PackageManager string `yaml:"packageManager"`

	// Bundle bundles a Node.js handler and what it imports into one file
	// with esbuild, as the AWS CDK's NodejsFunction does: the code layer
	// holds the bundle alone, and node_modules ships only the packages
	// left out of it. The handler's file may then be TypeScript (.ts,
	// .mts, .cts). "bundle: esbuild" bundles with the defaults.
	Bundle Bundle `yaml:"bundle"`

	// Emulate runs the compile stage on the target platform instead of the
	// build platform. Only needed for native packages that must be compiled
	// from source for a foreign architecture; it needs QEMU on the builder
	// and is much slower. By default every step runs natively and fetches
	// prebuilt packages for the target architecture.
	Emulate bool `yaml:"emulate"`
}

// Bundle configures the bundling of a Node.js handler with esbuild. The
// bundle is written where the handler's file was, as FILE.js (cjs) or
// FILE.mjs (esm), so the handler stays the same.
type Bundle struct {
	// Tool is the bundler. esbuild, the only one, is the default, at the
	// version the frontend pins, run natively on the build platform.
	Tool Bundler `yaml:"tool" shorthand:"true" default:"esbuild"`

	// Minify shortens names and removes whitespace, for a smaller bundle.
	Minify bool `yaml:"minify"`

	// Sourcemap writes the bundle's source map beside it (FILE.js.map) and
	// sets NODE_OPTIONS=--enable-source-maps in the image, so that stack
	// traces name the sources' files and lines.
	Sourcemap bool `yaml:"sourcemap"`

	// Format is the bundle's module format. It defaults to esm when the
	// handler's file is an ES module (.mjs, .mts, or "type": "module" in
	// package.json) and to cjs otherwise.
	Format BundleFormat `yaml:"format"`

	// External lists packages the bundle leaves out, which ship in
	// node_modules with the packages they depend on: those that read their
	// own files at run time or are loaded by a computed name. A scope's
	// packages are matched with @scope/*. Packages with native code (.node
	// files), and those depending on them, are always left out: a bundle
	// cannot hold them.
	External []string `yaml:"external"`

	// Target is the JavaScript the bundle may use, as esbuild's --target
	// takes it: node22, es2022, or a comma-separated list. It defaults to
	// the runtime's Node.js version.
	Target string `yaml:"target"`
}

// Bundler names a bundler build.bundle can use.
type Bundler string

// The bundlers.
const (
	// esbuild (https://esbuild.github.io), at the version the frontend pins.
	Esbuild Bundler = "esbuild"
)

// BundleFormat is a JavaScript module format.
type BundleFormat string

// The formats of a bundle.
const (
	// CommonJS: the bundle is FILE.js.
	FormatCJS BundleFormat = "cjs"
	// ECMAScript modules: the bundle is FILE.mjs.
	FormatESM BundleFormat = "esm"
)

// Enabled says whether lambda.yaml asks for a bundle.
func (b Bundle) Enabled() bool { return b.Tool != "" }

// Go holds the settings of the go runtime.
type Go struct {
	// Main is the package to build, relative to the context, like "./cmd/fn".
	// Defaults to ".".
	Main string `yaml:"main"`

	// Version is the Go version of the compile stage (the golang image tag),
	// like "1.24". Defaults to the toolchain line of go.mod, else its go line.
	Version string `yaml:"version"`
}

// Rust holds the settings of the rust runtime, which builds the Cargo
// package at the root of the build context (Cargo.toml and Cargo.lock)
// into the bootstrap binary.
type Rust struct {
	// Bin is the binary of the package to ship as the bootstrap, as cargo
	// build --bin names it. Defaults to the package's only binary; required
	// when it has several, or when Cargo.toml is a workspace.
	Bin string `yaml:"bin"`

	// Version is the Rust version of the compile stage (the rust image
	// tag), like "1.85". Defaults to the channel of rust-toolchain.toml
	// when it names a version, else 1.85.
	Version string `yaml:"version"`
}

// Package shapes the .zip outputs.
type Package struct {
	// Layer ships the dependencies in a Lambda layer: --target layer
	// writes them to layer.zip under the runtime's layer directory
	// (nodejs/node_modules, python, java/lib), and --target zip then
	// writes the code alone to function.zip. For Node.js, Python, Java and Ruby.
	Layer bool `yaml:"layer"`
}

// Test is one invocation of the finished image and the answer it must get.
type Test struct {
	// Name names the test in the build's output; it defaults to its place
	// in the list, test[0].
	Name string `yaml:"name"`

	// Event is the event the function gets, written in YAML or JSON, like
	// {"name": "Ada"}. It defaults to {}.
	Event JSON `yaml:"event"`

	// EventFile is a JSON file holding the event instead, relative to the
	// build context (to workspace, when set), like events/order.json.
	EventFile string `yaml:"eventFile"`

	// Expect is what the response must hold: every key it gives must be in
	// the response with a value holding its value, at any depth; lists
	// must match item by item. For example {"statusCode": 200}. Without
	// expect and expectError, the test only needs the function to succeed.
	Expect JSON `yaml:"expect"`

	// ExpectError is the errorType the invocation must fail with instead,
	// like Error (Node.js), ValueError (Python), Runtime.ExitError (the
	// runtime exited) or Sandbox.Timedout (the timeout ran out).
	ExpectError string `yaml:"expectError"`

	// Timeout bounds the function's start and the invocation together, as
	// a duration like 10s or a number of seconds. It defaults to 30s, and
	// may be at most 900s, Lambda's limit.
	Timeout string `yaml:"timeout"`
}

// JSON is a value of any shape, kept as its JSON text.
//
//schemagen:any
type JSON string

// Secret is one BuildKit secret, mounted into the dependency install and
// build steps either as a file or as an environment variable.
type Secret struct {
	// ID is the secret's id, as given to docker buildx build --secret id=ID.
	ID string `yaml:"id" required:"true"`

	// Env exposes the secret as this environment variable, for example
	// PIP_INDEX_URL for a private Python package index with credentials.
	Env string `yaml:"env"`

	// Target mounts the secret as a file at this absolute path, for example
	// /root/.npmrc. When neither env nor target is given, the file is
	// /run/secrets/ID.
	Target string `yaml:"target"`

	// Required fails the build when the secret is not given. By default a
	// missing secret is skipped, so that builds without it still work.
	Required bool `yaml:"required"`
}

// SSH lists the ids of forwarded SSH agents; in lambda.yaml, true means
// [default].
//
//schemagen:or-boolean
type SSH []string
