# Builds the three examples with docker buildx bake:
#   docker buildx bake                          # all three, into the build cache
#   REGISTRY=123456789012.dkr.ecr.eu-west-1.amazonaws.com docker buildx bake --push
# FRONTEND overrides the frontend image that the `# syntax=` line names, for
# example one built from this checkout (see README).

variable "REGISTRY" {
  default = "localhost:5000"
}

variable "FRONTEND" {
  default = ""
}

group "default" {
  targets = ["nodejs", "python", "go"]
}

# Lambda refuses image indexes, which provenance and SBOM attestations
# would turn a pushed image into.
target "_lambda" {
  dockerfile = "lambda.yaml"
  args       = FRONTEND == "" ? {} : { BUILDKIT_SYNTAX = FRONTEND }
  attest     = ["type=provenance,disabled=true", "type=sbom,disabled=true"]
}

target "nodejs" {
  inherits  = ["_lambda"]
  context   = "examples/nodejs"
  platforms = ["linux/amd64"]
  tags      = ["${REGISTRY}/greeter-nodejs:latest"]
}

target "python" {
  inherits  = ["_lambda"]
  context   = "examples/python"
  platforms = ["linux/amd64"]
  tags      = ["${REGISTRY}/greeter-python:latest"]
  # Optional private package index: PIP_INDEX_URL=https://user:pass@host/simple/
  secret = ["id=pip-index-url,env=PIP_INDEX_URL"]
}

target "go" {
  inherits  = ["_lambda"]
  context   = "examples/go"
  platforms = ["linux/arm64"]
  tags      = ["${REGISTRY}/greeter-go:latest"]
}
