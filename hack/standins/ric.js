// TEST STAND-IN for the Lambda runtime interface client of the Node.js base
// images, made by buildkit-lambda's hack/standins.sh. Not AWS code. It loads
// the handler named by _HANDLER ("file.export") from LAMBDA_TASK_ROOT and
// serves invocations from the Runtime API at AWS_LAMBDA_RUNTIME_API.
"use strict";
const fs = require("fs");
const http = require("http");
const path = require("path");
const { pathToFileURL } = require("url");

const api = process.env.AWS_LAMBDA_RUNTIME_API;
const base = `/2018-06-01/runtime`;

function request(method, p, body) {
  return new Promise((resolve, reject) => {
    const [host, port] = api.split(":");
    const req = http.request({ host, port, method, path: base + p, headers: { "content-type": "application/json" } }, (res) => {
      let data = "";
      res.on("data", (c) => (data += c));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: data }));
    });
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

async function loadHandler() {
  const handler = process.env._HANDLER;
  const dot = handler.lastIndexOf(".");
  const file = path.join(process.env.LAMBDA_TASK_ROOT, handler.slice(0, dot));
  const name = handler.slice(dot + 1);
  for (const ext of [".js", ".mjs", ".cjs"]) {
    if (fs.existsSync(file + ext)) {
      const mod = ext === ".cjs" || (ext === ".js" && !isModule(file)) ? require(file + ext) : await import(pathToFileURL(file + ext).href);
      if (typeof mod[name] !== "function") throw new Error(`${handler} is undefined or not exported`);
      return mod[name];
    }
  }
  throw new Error(`Cannot find module '${handler.slice(0, dot)}'`);
}

function isModule(file) {
  try {
    return JSON.parse(fs.readFileSync(path.join(process.env.LAMBDA_TASK_ROOT, "package.json"), "utf8")).type === "module";
  } catch {
    return false;
  }
}

// errorBody is what AWS's Node.js runtime posts for an error, with the
// stack's lines as trace, and logs.
function errorBody(e) {
  const body = { errorType: e.name || "Error", errorMessage: String(e.message || e), trace: String(e.stack || "").split("\n") };
  console.error("ERROR\tInvoke Error\t" + JSON.stringify(body));
  return JSON.stringify(body);
}

async function main() {
  let fn;
  try {
    fn = await loadHandler();
  } catch (e) {
    await request("POST", "/init/error", errorBody(e));
    process.exit(1);
  }
  for (;;) {
    const next = await request("GET", "/invocation/next");
    const id = next.headers["lambda-runtime-aws-request-id"];
    try {
      const result = await fn(JSON.parse(next.body), { awsRequestId: id });
      await request("POST", `/invocation/${id}/response`, JSON.stringify(result));
    } catch (e) {
      await request("POST", `/invocation/${id}/error`, errorBody(e));
    }
  }
}

main();
