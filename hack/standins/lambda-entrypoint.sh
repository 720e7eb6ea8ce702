#!/bin/sh
# TEST STAND-IN for the entrypoint of the AWS Lambda base images, made by
# buildkit-lambda's hack/standins.sh. Not AWS code. Like the real one it
# takes exactly one argument, the handler, and runs the runtime interface
# client at /var/runtime/bootstrap against AWS_LAMBDA_RUNTIME_API.
if [ $# -ne 1 ]; then
  echo "entrypoint requires the handler name to be the first argument" >&2
  exit 142
fi
export _HANDLER="$1"
if [ -z "${AWS_LAMBDA_RUNTIME_API}" ]; then
  echo "this test stand-in has no aws-lambda-rie; set AWS_LAMBDA_RUNTIME_API" >&2
  exit 1
fi
exec /var/runtime/bootstrap
