# What a careful engineer writes: requirements first, pip's cache on a cache
# mount, dependencies installed into a directory of their own on the target
# (numpy, pandas and pydantic-core are native wheels) and copied with
# --link. For linux/arm64 on an amd64 machine, pip runs under QEMU.
FROM public.ecr.aws/lambda/python:3.12 AS deps
COPY requirements.txt /build/
RUN --mount=type=cache,target=/root/.cache/pip \
    pip install --no-compile -r /build/requirements.txt --target /deps

FROM public.ecr.aws/lambda/python:3.12
ENV GREETING=Hello
COPY --link --from=deps /deps/ ${LAMBDA_TASK_ROOT}/
COPY --link app.py ${LAMBDA_TASK_ROOT}/
CMD ["app.handler"]
