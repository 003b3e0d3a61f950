#!/usr/bin/env python3
"""Offline schema check of the Kubernetes manifests in this folder, for machines without a
cluster (`kubectl apply --dry-run=client` needs an API server to discover the kinds).

Each document is validated against the Kubernetes Python client's model of its kind (generated
from the API's OpenAPI schema; from client v35 on these are pydantic models that forbid unknown
fields and check types and required fields). Needs `pip install kubernetes pyyaml`. Not part of
the test suite.
"""
import glob
import os
import sys

import kubernetes.client as k8s
import yaml

KINDS = {("batch/v1", "Job"): k8s.V1Job, ("v1", "PersistentVolumeClaim"): k8s.V1PersistentVolumeClaim}


def main():
    folder = os.path.dirname(os.path.abspath(__file__))
    errors, count = 0, 0
    for path in sorted(glob.glob(os.path.join(folder, "*.yaml"))):
        for n, doc in enumerate(yaml.safe_load_all(open(path))):
            if doc is None:
                continue
            where = f"{os.path.basename(path)} document {n}"
            model = KINDS.get((doc.get("apiVersion"), doc.get("kind")))
            if model is None:
                print(f"error: {where}: unexpected kind {doc.get('apiVersion')}/{doc.get('kind')}")
                errors += 1
                continue
            try:
                model.model_validate(doc)
                count += 1
            except Exception as error:  # pydantic.ValidationError lists every problem
                print(f"error: {where}: {error}")
                errors += 1
    print(f"{count} manifests valid, {errors} with errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
