#!/usr/bin/env bash
# The README's "run the main job" command: starts a local BuildKit and
# registry, builds the frontend image, builds examples/nodejs into a Lambda
# image with it, and says where the image is and how to invoke it.
set -euo pipefail
cd "$(dirname "$0")/.."
. hack/versions.sh
hack/install-tools.sh
hack/env-up.sh

if curl -fsS -m 5 -o /dev/null https://public.ecr.aws/v2/ 2>/dev/null; then
	echo "==> public.ecr.aws is reachable: building on the real AWS base images"
else
	echo "==> public.ecr.aws cannot be reached from this machine: building on TEST STAND-INS"
	echo "    of the AWS base images (hack/standins.sh), made from Debian. They are not AWS images."
	hack/standins.sh
fi

frontend=$BKL_REGISTRY/buildkit-lambda/frontend:dev
image=$BKL_REGISTRY/examples/nodejs:latest
echo "==> building the frontend image $frontend"
docker buildx build --builder "$BKL_BUILDER" --provenance=false -t "$frontend" --push .
echo "==> building examples/nodejs into $image"
docker buildx build --builder "$BKL_BUILDER" -f examples/nodejs/lambda.yaml \
	--build-arg BUILDKIT_SYNTAX="$frontend" --platform linux/amd64 \
	--provenance=false -t "$image" --push examples/nodejs
echo "==> invoking it as Lambda would"
go run ./internal/cmd/invoke "$image" '{"name":"you","uptimeMs":90000}'
cat <<MSG

The image is $image (registry on this machine).
Invoke it again with:
  go run ./internal/cmd/invoke $image '{"name":"you"}'
On a machine with Docker and the AWS Runtime Interface Emulator, as with any
Lambda image:
  docker run -p 9000:8080 $image
  curl -d '{"name":"you"}' http://localhost:9000/2015-03-31/functions/function/invocations
MSG
