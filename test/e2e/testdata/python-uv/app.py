import humanize
import orjson


def handler(event, context):
    # orjson is native code: the response proves its .so loaded.
    return orjson.loads(orjson.dumps({"size": humanize.naturalsize(event.get("bytes", 0))}))
