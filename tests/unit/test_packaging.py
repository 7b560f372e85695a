"""The wheel carries everything the stages read at run time, so an install works without the checkout."""

import subprocess
import sys
import zipfile

from tests.conftest import REPO


def test_the_wheel_ships_schemas_policy_and_model(tmp_path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(tmp_path), str(REPO)], check=True, capture_output=True)
    names = set(zipfile.ZipFile(next(tmp_path.glob("*.whl"))).namelist())
    schemas = {f"pipeline/schemas/{p.name}" for p in (REPO / "pipeline" / "schemas").glob("*.json")}
    assert schemas and schemas <= names
    assert "pipeline/route/default_policy.yaml" in names
    assert {"pipeline/classify/model/heads.npz", "pipeline/classify/model/meta.json"} <= names
