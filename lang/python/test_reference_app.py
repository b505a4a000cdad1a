"""
The Python package as a cdktf Python app uses it: the reference app written in Python synthesizes
the same Terraform JSON as the TypeScript one (examples/reference-app), a bad prop raises an error
that names the construct path and the prop, and the review command (a Node binary) reviews the
Python app's output.

Run by lang/run.sh from the repository root (the jsii runtime's Node process starts there, as the
TypeScript app does: the local backend's state path is relative to it) in a virtual environment holding the built wheel, cdktf and the docker provider
bindings from PyPI. NODE names the node binary (default: node on PATH).
"""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cdktf import App, Aspects, TerraformStack
from cdktf import Testing as CdktfTesting  # not collected by pytest as a test class

from cdktf_docker_production import (
    ContainerImage,
    DockerHost,
    Errors,
    MinimalImage,
    ProductionChecks,
    ServiceContainer,
    Severity,
)
from reference_app import ReferenceApp

ROOT = Path(__file__).resolve().parents[2]
API_CONTEXT = ROOT / "examples" / "reference-app" / "api"
NODE = os.environ.get("NODE", "node")
STACK = "reference-app"


def without_metadata(value):
    """The JSON without cdktf's metadata (`"//": {"metadata": ...}`): what may differ between languages."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key == "//" and isinstance(item, dict):
                item = {k: v for k, v in item.items() if k != "metadata"}
                if not item:
                    continue
            out[key] = without_metadata(item)
        return out
    if isinstance(value, list):
        return [without_metadata(item) for item in value]
    return value


def read(outdir: Path, name: str):
    return json.loads((outdir / "stacks" / STACK / name).read_text())


@pytest.fixture(scope="module")
def ts_out(tmp_path_factory) -> Path:
    """The TypeScript reference app, synthesized by lang/synth-reference.ts."""
    outdir = tmp_path_factory.mktemp("ts") / "cdktf.out"
    ts_node = ROOT / "node_modules" / "ts-node" / "dist" / "bin.js"
    subprocess.run([NODE, str(ts_node), "--transpile-only", "lang/synth-reference.ts", str(outdir)],
                   cwd=ROOT, check=True, env={**os.environ, "CHECKPOINT_DISABLE": "1"})
    return outdir


@pytest.fixture(scope="module")
def py_out(tmp_path_factory) -> Path:
    """The same app written in Python, synthesized as `cdktf synth` would run app.synth()."""
    outdir = tmp_path_factory.mktemp("py") / "cdktf.out"
    app = App(outdir=str(outdir))
    stack = ReferenceApp(app, STACK, api_context=str(API_CONTEXT))
    Aspects.of(stack).add(ProductionChecks())
    app.synth()
    return outdir


def test_synthesized_json_equals_the_typescript_apps(ts_out: Path, py_out: Path):
    ts_json = read(ts_out, "cdk.tf.json")
    py_json = read(py_out, "cdk.tf.json")
    containers = py_json["resource"]["docker_container"]
    assert sorted(c["name"] for c in containers.values()) == ["api", "cache", "web"]
    assert {n["name"] for n in py_json["resource"]["docker_network"].values()} == {"front", "back"}
    assert without_metadata(py_json) == without_metadata(ts_json)
    # The metadata left out names the same construct paths.
    assert sorted(r["//"]["metadata"]["path"] for r in containers.values()) == \
        sorted(r["//"]["metadata"]["path"] for r in ts_json["resource"]["docker_container"].values())


def test_production_review_file_equals_the_typescript_apps(ts_out: Path, py_out: Path):
    assert (py_out / "stacks" / STACK / ProductionChecks.REVIEW_FILE).is_file()
    py_report = read(py_out, ProductionChecks.REVIEW_FILE)
    assert py_report == read(ts_out, ProductionChecks.REVIEW_FILE)
    findings = py_report["stacks"][0]["findings"]
    assert [f for f in findings if f["severity"] == Severity.ERROR.value and not f["suppressed"]] == []
    assert {f["rule"] for f in findings if f["suppressed"]} >= {"port-published-on-all-interfaces", "user-not-set"}


def test_static_members_carry_the_module_constants():
    assert ProductionChecks.REVIEW_FILE == "production-review.json"
    assert ProductionChecks.METADATA_KEY == "production_checks"
    assert MinimalImage.CONTEXT_TRIGGER == "context_sha256"
    assert MinimalImage.BASE_IMAGE_LABEL == "org.opencontainers.image.base.name"
    assert ServiceContainer.SUPERVISOR_LABEL == "cdktf-docker-production/supervisor"
    rules = {r.id: r for r in ProductionChecks.RULES}
    assert {"port-published-on-all-interfaces", "user-not-set"} <= set(rules)
    assert rules["user-not-set"].severity in (Severity.ERROR, Severity.WARNING)


def test_findings_of_a_stack_from_python():
    app = CdktfTesting.app()
    stack = ReferenceApp(app, STACK, api_context=str(API_CONTEXT))
    findings = ProductionChecks().findings_of(stack)
    suppressed = sorted(f.rule for f in findings if f.suppressed)
    assert "port-published-on-all-interfaces" in suppressed
    assert all(f.resource.startswith(("docker_", "provider.")) for f in findings)


def test_a_bad_prop_raises_an_error_naming_the_construct_path_and_the_prop():
    app = CdktfTesting.app()
    stack = TerraformStack(app, "bad-app")
    DockerHost(stack, "host")
    with pytest.raises(RuntimeError) as raised:
        ServiceContainer(stack, "cache", image=ContainerImage.from_registry("redis:7.4-alpine"), memory_mib=2)
    message = str(raised.value)
    assert "bad-app/cache" in message
    assert "memoryMiB" in message
    details = Errors.validation_details(message)
    assert details is not None
    assert details.construct_path == "bad-app/cache"
    assert details.prop == "memoryMiB"
    assert details.allowed in message
    assert Errors.validation_details("bad-app/cache: something else") is None
    # An unpinned image is refused when a container binds it, naming the container and its prop.
    with pytest.raises(RuntimeError) as raised:
        ServiceContainer(stack, "web", image=ContainerImage.from_registry("nginx:latest"))
    details = Errors.validation_details(str(raised.value))
    assert (details.construct_path, details.prop) == ("bad-app/web", "image")


def test_the_review_command_reviews_the_python_apps_output(ts_out: Path, py_out: Path):
    cli = ROOT / "dist" / "review" / "cli.js"

    def review(outdir: Path):
        done = subprocess.run([NODE, str(cli), str(outdir), "--format", "json"], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr + done.stdout
        return json.loads(done.stdout)

    report = review(py_out)
    stacks = report["stacks"]
    assert [s["name"] for s in stacks] == [STACK]
    assert sorted(s["name"] for s in stacks[0]["services"]) == ["api", "cache", "web"]
    assert report == review(ts_out)
    text = subprocess.run([NODE, str(cli), str(py_out)], capture_output=True, text=True)
    assert text.returncode == 0
    assert STACK in text.stdout


def readme_python_blocks():
    return re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), re.S)


def test_the_readme_python_app_synthesizes(tmp_path: Path):
    [program] = [code for code in readme_python_blocks() if "app = App()" in code]
    (tmp_path / "main.py").write_text(program)
    subprocess.run([sys.executable, "main.py"], cwd=tmp_path, check=True,
                   env={**os.environ, "CDKTF_OUTDIR": str(tmp_path / "cdktf.out")})
    stack = json.loads((tmp_path / "cdktf.out" / "stacks" / "shop" / "cdk.tf.json").read_text())
    [web] = stack["resource"]["docker_container"].values()
    assert web["name"] == "web"
    assert web["ports"] == [{"external": 8080, "internal": 80, "ip": "127.0.0.1", "protocol": "tcp"}]


def test_the_readme_python_error_example_holds():
    [example] = [code for code in readme_python_blocks() if "validation_details" in code]
    stack = TerraformStack(CdktfTesting.app(), "shop")
    DockerHost(stack, "host")
    exec(example, {"pytest": pytest, "stack": stack, "ServiceContainer": ServiceContainer,
                   "ContainerImage": ContainerImage, "Errors": Errors})
