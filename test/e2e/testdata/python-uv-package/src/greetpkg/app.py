import humanize


def handler(event, context):
    return {"size": humanize.naturalsize(event.get("bytes", 0)), "package": __package__}
