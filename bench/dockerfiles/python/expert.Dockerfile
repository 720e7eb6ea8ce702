# What a careful engineer writes: requirements first, pip's cache on a cache
# mount, the index URL as a secret, dependencies installed into a directory
# of their own and copied with --link.
FROM public.ecr.aws/lambda/python:3.12 AS deps
COPY requirements.txt /build/
RUN --mount=type=cache,target=/root/.cache/pip \
    --mount=type=secret,id=pip-index-url,env=PIP_INDEX_URL \
    pip install --no-compile -r /build/requirements.txt --target /deps

FROM public.ecr.aws/lambda/python:3.12
ENV GREETING=Hello
COPY --link --from=deps /deps/ ${LAMBDA_TASK_ROOT}/
COPY --link app.py ${LAMBDA_TASK_ROOT}/
CMD ["app.handler"]
