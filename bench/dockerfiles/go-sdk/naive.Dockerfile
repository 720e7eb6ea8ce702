# The AWS documentation's Go Dockerfile: two stages, since the provided
# runtime has no Go, but everything is copied before go mod download,
# nothing is cached between builds, and the compile runs on the target's
# platform: under QEMU for linux/arm64 on an amd64 machine.
FROM golang:1.26 AS build
WORKDIR /src
COPY . .
RUN go mod download && go build -tags lambda.norpc -o /main ./cmd/orders

FROM public.ecr.aws/lambda/provided:al2023
COPY --from=build /main ./main
ENV GREETING=Hello
ENTRYPOINT ["./main"]
