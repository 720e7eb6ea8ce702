"""TEST STAND-IN for the Lambda runtime interface client of the Python base
images, made by buildkit-lambda's hack/standins.sh. Not AWS code. It imports
the handler named by _HANDLER ("module.function") from LAMBDA_TASK_ROOT and
serves invocations from the Runtime API at AWS_LAMBDA_RUNTIME_API."""

import importlib
import json
import os
import sys
import urllib.request

BASE = "http://%s/2018-06-01/runtime" % os.environ["AWS_LAMBDA_RUNTIME_API"]


def call(method, path, body=None):
    req = urllib.request.Request(BASE + path, data=body, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as resp:
        return resp.headers, resp.read()


def error_body(e):
    return json.dumps({"errorType": type(e).__name__, "errorMessage": str(e)}).encode()


def main():
    sys.path.insert(0, os.environ["LAMBDA_TASK_ROOT"])
    module_name, _, function = os.environ["_HANDLER"].rpartition(".")
    try:
        fn = getattr(importlib.import_module(module_name), function)
    except Exception as e:  # the real client reports init errors the same way
        call("POST", "/init/error", error_body(e))
        sys.exit(1)
    while True:
        headers, body = call("GET", "/invocation/next")
        request_id = headers["Lambda-Runtime-Aws-Request-Id"]
        try:
            result = fn(json.loads(body), None)
            call("POST", "/invocation/%s/response" % request_id, json.dumps(result).encode())
        except Exception as e:
            call("POST", "/invocation/%s/error" % request_id, error_body(e))


main()
