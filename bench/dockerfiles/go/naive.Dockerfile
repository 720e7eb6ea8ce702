# The AWS documentation's Go Dockerfile: already two stages, since the
# provided runtime has no Go, but everything is copied before go mod
# download and nothing is cached between builds.
FROM golang:1.26 AS build
WORKDIR /src
COPY . .
RUN go mod download && go build -tags lambda.norpc -o /main ./cmd/greeter

FROM public.ecr.aws/lambda/provided:al2023
COPY --from=build /main ./main
ENV GREETING=Hello
ENTRYPOINT ["./main"]
