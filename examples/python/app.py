"""An AWS Lambda function in Python, built with buildkit-lambda."""

import os
import sys

import humanize


def handler(event, context):
    """Greet the caller and spell out a byte count with a dependency."""
    greeting = os.environ.get("GREETING", "Hello")
    return {
        "message": f"{greeting}, {event.get('name', 'world')}!",
        "size": humanize.naturalsize(event.get("bytes", 0)),
        "python": sys.version.split()[0],
    }
