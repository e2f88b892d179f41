#!/usr/bin/env python3
"""Adds Python's independent signatures to testdata/vectors.json.

Run after gen_vectors.js (see there). For every vector it recomputes the
HMAC-SHA256 of the exact body bytes with Python's hmac module and fails if it
differs from Node's. It also records what the Glossi documentation's Python
and PHP examples hash instead of the raw body: json.dumps(json.loads(body))
and json_encode(json_decode(body)) (PHP emulated here: compact, \\uXXXX
escapes, "/" escaped as "\\/"), to show why re-serializing fails. Finally it
adds a few bodies as a Python sender (json.dumps) would write them.
"""
import hashlib
import hmac
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PATH = os.path.join(HERE, "vectors.json")


def sign(secret: str, body: str) -> str:
    return hmac.new(secret.encode("utf-8"), body.encode("utf-8"), hashlib.sha256).hexdigest()


def php_json_encode(obj) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=True).replace("/", "\\/")


def main() -> int:
    with open(PATH, encoding="utf-8") as f:
        doc = json.load(f)
    bad = 0
    for v in doc["vectors"]:
        py = sign(v["secret"], v["body"])
        if "node" in v["signatures"] and py != v["signatures"]["node"]:
            print(f"MISMATCH {v['name']}: node {v['signatures']['node']} python {py}", file=sys.stderr)
            bad += 1
        v["signatures"]["python"] = py
        v["signature"] = py
        try:
            obj = json.loads(v["body"])
        except ValueError:
            continue
        v["reserialized"] = [r for r in v["reserialized"] if r["by"].startswith("node")]
        for by, again in (
            ("python: json.dumps(json.loads(body)) (the seed's Python example)", json.dumps(obj)),
            ("php: json_encode(json_decode(body, true)) (the seed's PHP example, emulated)", php_json_encode(obj)),
        ):
            v["reserialized"].append({
                "by": by,
                "body": again,
                "signature": sign(v["secret"], again),
                "same_bytes": again == v["body"],
            })

    secret = doc["vectors"][0]["secret"]
    names = {v["name"] for v in doc["vectors"]}
    for name, body, event in (
        ("python-sender-json-dumps",
         json.dumps({"event": "render.failed", "timestamp": doc["timestamp"],
                     "data": {"jobId": "render-job-uuid", "projectId": "project-uuid", "error": "Render timed out"}}),
         "render.failed"),
        ("python-sender-ensure-ascii",
         json.dumps({"event": "project.created", "timestamp": doc["timestamp"],
                     "data": {"projectId": "p-\u00e9", "name": "Proj\u00e9t \u6905\u5b50 <&>", "modelIds": [],
                              "templateId": "t"}}),
         "project.created"),
    ):
        if name in names:
            continue
        sig = sign(secret, body)
        doc["vectors"].append({
            "name": name, "source": "python json.dumps", "valid_delivery": True, "event": event,
            "secret": secret, "body": body, "signature": sig, "signatures": {"python": sig},
            "reserialized": [],
        })

    if bad:
        return 1
    with open(PATH, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(f"checked and wrote {len(doc['vectors'])} vectors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
