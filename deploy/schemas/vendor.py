"""Regenerate the vendored schemas that tests/unit/test_deploy.py validates deploy/ against, offline.

Run it after adding a kind to deploy/k8s/ or to move to newer schemas, in a throwaway venv (none
of these packages is a dependency of the project):

    python3.11 -m venv /tmp/vendor && /tmp/vendor/bin/pip install \
        kubernetes-validate==1.37.0 cloudcoil-models-keda==2.16.1.0 check-jsonschema==0.39.0
    /tmp/vendor/bin/python deploy/schemas/vendor.py

What it writes (see README.md for provenance):
  kubernetes/v<VER>-strict/<kind>-<group>-<version>.json  the kinds deploy/k8s uses, from kubernetes-validate
  kubernetes/v<VER>-strict/_definitions.json              only the definitions those kinds reach
  crds/<kind>-keda-v1alpha1.json                          KEDA CRDs, from cloudcoil's generated models
  compose-spec.json, LICENSE.compose-spec                 from check-jsonschema's vendored copy
"""

from __future__ import annotations

import json
import re
import shutil
from importlib import resources
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
K8S_DIR = HERE.parents[0] / "k8s"
# The oldest minor the manifests must work on, and the newest these schemas know.
K8S_VERSIONS = ("1.33", "1.37")


def _dump(path: Path, obj: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=1, sort_keys=True) + "\n")


def _refs(node: object) -> set[str]:
    out: set[str] = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and "#/$defs/" in ref:
            out.add(ref.split("#/$defs/", 1)[1])
        for value in node.values():
            out |= _refs(value)
    elif isinstance(node, list):
        for value in node:
            out |= _refs(value)
    return out


def schema_file(api_version: str, kind: str) -> str:
    """kubernetes-validate's naming: apps/v1 Deployment -> deployment-apps-v1.json."""
    group_version = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
    return f"{kind.lower()}-{group_version}.json"


def used_kinds() -> set[tuple[str, str]]:
    kinds = set()
    for path in sorted(K8S_DIR.rglob("*.yaml")):  # stages' patches name kinds the base already has
        for doc in yaml.safe_load_all(path.read_text()):
            if doc and doc.get("kind") not in ("Kustomization", "Component"):
                kinds.add((doc["apiVersion"], doc["kind"]))
    return kinds


def vendor_kubernetes(kinds: set[tuple[str, str]]) -> None:
    root = resources.files("kubernetes_validate") / "kubernetes-json-schema"
    for version in K8S_VERSIONS:
        src = root / f"v{version}.0-local-strict"
        dest = HERE / "kubernetes" / f"v{version}-strict"
        shutil.rmtree(dest, ignore_errors=True)
        definitions = json.loads((src / "_definitions.json").read_text())
        wanted: set[str] = set()
        for api_version, kind in kinds:
            if api_version.startswith("keda.sh/"):
                continue
            name = schema_file(api_version, kind)
            schema = json.loads((src / name).read_text())
            _dump(dest / name, schema)
            wanted |= _refs(schema)
        todo = list(wanted)
        while todo:  # close over the definitions' own references
            for ref in _refs(definitions["$defs"][todo.pop()]):
                if ref not in wanted:
                    wanted.add(ref)
                    todo.append(ref)
        pruned = {**definitions, "$defs": {k: v for k, v in definitions["$defs"].items() if k in wanted}}
        _dump(dest / "_definitions.json", pruned)


def _strict(node: object) -> object:
    """pydantic's schema -> closer to the CRD as the API server applies it: unknown fields are errors
    (kubectl's default field validation is Strict), and `null` is no value at all."""
    if isinstance(node, dict):
        node = {k: _strict(v) for k, v in node.items() if k not in ("title", "default")}
        any_of = node.get("anyOf")
        if isinstance(any_of, list):
            rest = [s for s in any_of if s != {"type": "null"}]
            if len(rest) == 1 and len(rest) < len(any_of):
                node.pop("anyOf")
                node = {**rest[0], **node}
        if node.get("type") == "object" and "properties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        return node
    if isinstance(node, list):
        return [_strict(v) for v in node]
    return node


def vendor_keda() -> None:
    from cloudcoil.models.keda import v1alpha1

    for kind in ("ScaledObject", "TriggerAuthentication"):
        model = getattr(v1alpha1, kind)
        schema = _strict(model.model_json_schema(by_alias=True, mode="validation"))
        schema["properties"]["apiVersion"] = {"const": "keda.sh/v1alpha1"}
        schema["properties"]["kind"] = {"const": kind}
        schema["properties"].pop("status", None)  # written by KEDA, never in a manifest
        schema["required"] = sorted({*schema.get("required", []), "apiVersion", "kind", "metadata", "spec"})
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://keda.sh/schemas/{kind.lower()}-keda-v1alpha1.json",
            "$comment": "Generated by deploy/schemas/vendor.py from cloudcoil-models-keda==2.16.1.0 (models "
                        "generated from the KEDA v2.16.1 CRDs): field names, types and required fields as "
                        "in the CRD; enums, patterns and descriptions are not carried over.",
            **schema,
        }
        _dump(HERE / "crds" / f"{kind.lower()}-keda-v1alpha1.json", schema)


def vendor_compose() -> None:
    vendor = resources.files("check_jsonschema.builtin_schemas.vendor")
    (HERE / "compose-spec.json").write_text((vendor / "compose-spec.json").read_text())
    (HERE / "LICENSE.compose-spec").write_text((vendor / "licenses" / "LICENSE.compose-spec").read_text())


if __name__ == "__main__":
    vendor_kubernetes(used_kinds())
    vendor_keda()
    vendor_compose()
    for path in sorted(HERE.rglob("*.json")):
        print(f"{path.stat().st_size:>9}  {path.relative_to(HERE)}")
