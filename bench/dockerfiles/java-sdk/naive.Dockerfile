# The AWS documentation's Java Dockerfile style: Maven in a build stage of
# the target's platform (under QEMU for linux/arm64 on an amd64 machine),
# the whole project copied before anything is resolved, no cache mount.
FROM maven:3.9-amazoncorretto-21 AS build
WORKDIR /build
COPY . .
RUN mvn -B -q compile dependency:copy-dependencies -DincludeScope=runtime

FROM public.ecr.aws/lambda/java:21
COPY --from=build /build/target/classes ${LAMBDA_TASK_ROOT}
COPY --from=build /build/target/dependency/* ${LAMBDA_TASK_ROOT}/lib/
ENV GREETING=Hello
CMD ["example.Handler::handleRequest"]
