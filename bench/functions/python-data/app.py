"""A data function: validates a batch of readings with pydantic and
summarises it with pandas."""

import os

import pandas as pd
from pydantic import BaseModel, Field

GREETING = os.environ.get("GREETING", "Hello")


class Reading(BaseModel):
    sensor: str
    value: float = Field(ge=0)


class Batch(BaseModel):
    readings: list[Reading]


def handler(event, context):
    batch = Batch.model_validate(event)
    frame = pd.DataFrame([r.model_dump() for r in batch.readings])
    summary = frame.groupby("sensor")["value"].agg(["count", "mean"]).round(3)
    return {
        "greeting": GREETING,
        "sensors": {s: {"count": int(row["count"]), "mean": float(row["mean"])} for s, row in summary.iterrows()},
    }
