# What a careful engineer writes: pom.xml first, Maven's repository on a
# cache mount, the runtime jars copied out before the sources arrive, the
# compile on the build platform (bytecode runs anywhere), and the layout of
# AWS's Java images: jars in lib, classes at the task root, copied with
# --link.
FROM --platform=$BUILDPLATFORM maven:3.9-amazoncorretto-21 AS build
WORKDIR /build
COPY pom.xml ./
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=/deps
COPY src ./src
RUN --mount=type=cache,target=/root/.m2 mvn -B -q compile

FROM public.ecr.aws/lambda/java:21
ENV GREETING=Hello
COPY --link --from=build /deps/ ${LAMBDA_TASK_ROOT}/lib/
COPY --link --from=build /build/target/classes/ ${LAMBDA_TASK_ROOT}/
CMD ["example.Handler::handleRequest"]
