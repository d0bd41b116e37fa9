"""Issue 21: docker-compose.yml is a deployment the Compose Specification accepts (its JSON Schema,
as docker-compose 1.29 ships it, tests/vendor/compose_spec.json), with two replicas of each
service and of the console behind nginx, health checks on readiness, and current images."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parents[2]


def compose() -> dict:
    return dict(yaml.safe_load((ROOT / "docker-compose.yml").read_text()))


def test_the_compose_file_is_valid_against_the_compose_specification() -> None:
    schema = json.loads((ROOT / "tests" / "vendor" / "compose_spec.json").read_text())
    jsonschema.validate(compose(), schema)


def test_each_service_runs_two_replicas_behind_the_load_balancer_with_a_readiness_check() -> None:
    services = compose()["services"]
    for name in ("registration", "awards", "reporting", "console"):
        assert services[name]["deploy"]["replicas"] == 2, name
        assert "ports" not in services[name], f"{name} is reached through nginx only"
        assert "/health" in " ".join(services[name]["healthcheck"]["test"]), name
    assert sorted(services["nginx"]["ports"]) == ["8000:8000", "8001:8001", "8002:8002", "8003:8003"]
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    assert all(f"listen {port}" in nginx for port in (8000, 8001, 8002, 8003))


def test_the_image_runs_as_an_unprivileged_user_with_the_runtime_pins_only() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "USER tdkt" in dockerfile and "-r requirements-dev.lock" not in dockerfile
    runtime = (ROOT / "requirements.lock").read_text().lower()
    assert "pytest" not in runtime and "playwright" not in runtime and "ruff" not in runtime
    images = {s.get("image", "") for s in compose()["services"].values()}
    assert "postgres:17" in images and "rabbitmq:4.1-management" in images
