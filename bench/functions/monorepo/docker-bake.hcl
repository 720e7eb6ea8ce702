# Builds the five services, each with its lambda.yaml (docker buildx bake
# lambda) or with the expert Dockerfile (docker buildx bake expert, with
# EXPERT naming it). The benchmark sets every variable.

variable "SERVICES" {
  default = ["orders", "users", "payments", "inventory", "notify"]
}

# Images are pushed as ${PREFIX}<service>:${TAG}.
variable "PREFIX" {
  default = "localhost:5000/shop-"
}

variable "TAG" {
  default = "latest"
}

variable "PLATFORM" {
  default = "linux/amd64"
}

# The frontend image that replaces the `# syntax=` line's.
variable "FRONTEND" {
  default = ""
}

variable "EXPERT" {
  default = "expert.Dockerfile"
}

target "_image" {
  context   = "."
  platforms = [PLATFORM]
  attest    = ["type=provenance,disabled=true", "type=sbom,disabled=true"]
}

target "lambda" {
  name       = "lambda-${svc}"
  matrix     = { svc = SERVICES }
  inherits   = ["_image"]
  dockerfile = "services/${svc}/lambda.yaml"
  args       = FRONTEND == "" ? {} : { BUILDKIT_SYNTAX = FRONTEND }
  tags       = ["${PREFIX}${svc}:${TAG}"]
}

target "expert" {
  name       = "expert-${svc}"
  matrix     = { svc = SERVICES }
  inherits   = ["_image"]
  dockerfile = EXPERT
  args       = { SERVICE = svc }
  tags       = ["${PREFIX}${svc}:${TAG}"]
}
