"""A function that is a package of its own, installed into the task root."""
