"""The rooms of `shared/` and which way their imports go (README, "Layout"), read from the source
with `ast` (every import, a function's own included):

* kernel (ids, clock, text, errors, commands, catalogue, settings, metrics) imports no other room;
* auth (who may act, tokens, keys) imports only kernel;
* store (the event store, its recorder and hash chain) imports only kernel and auth;
* messaging (contracts, the log, relay, consumers, tracking) imports only kernel, auth and store;
* web (the HTTP surface) imports kernel, auth, store and messaging, and of ops only
  `shared.ops.runtime`: an app is built around one process's `Runtime` (its lifespan, pool,
  event log and settings, which every route reaches through `runtime(request)`);
* ops (the runtime, serving, the launcher, the CLI) imports any room but web: web imports
  `shared.ops.runtime`, so an import of web from ops would close a cycle;
* nothing in shared imports `services` or `tests`."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT / "shared"
ROOMS = ("kernel", "auth", "store", "messaging", "ops", "web")


def room_of(module: str) -> str | None:
    """The room of a dotted module name inside shared (`shared.web.app` -> web); None outside."""
    parts = module.split(".")
    return parts[1] if parts[0] == "shared" and len(parts) > 1 else None


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every module `path` imports (absolute names; relative imports resolved; `from shared
    import x` counted as `shared.x`)."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names if base == "shared")
    return found


def crossings(room: str) -> dict[str, set[str]]:
    """For each module of `room`, the other rooms of shared it imports (by module name)."""
    out: dict[str, set[str]] = {}
    for path in sorted((SHARED / room).rglob("*.py")):
        other = {m for m in imports_of(path) if room_of(m) not in (None, room)}
        if other:
            out[str(path.relative_to(ROOT))] = other
    return out


def outside(room: str, allowed: set[str | None], also: frozenset[str] = frozenset()) -> dict[str, set[str]]:
    """The imports of `room` that reach a room not in `allowed` (nor a module listed in `also`)."""
    found = {
        path: {m for m in modules if room_of(m) not in allowed and m not in also}
        for path, modules in crossings(room).items()
    }
    return {path: modules for path, modules in found.items() if modules}


def test_every_module_of_shared_is_in_a_room() -> None:
    # Given the modules of shared
    modules = [p for p in SHARED.rglob("*.py") if ".venv" not in p.parts]
    # When each is placed by its first folder
    loose = [str(p.relative_to(ROOT)) for p in modules if p.parent == SHARED and p.name != "__init__.py"]
    unknown = {p.relative_to(SHARED).parts[0] for p in modules if p.parent != SHARED} - set(ROOMS)
    # Then none lies outside the rooms this test checks
    assert (loose, unknown) == ([], set())


def test_the_reader_sees_a_known_import_of_another_room() -> None:
    # Given a module known to import the runtime (so the checks below cannot pass on an empty read)
    app = SHARED / "web" / "app.py"
    # When its imports are read
    found = imports_of(app)
    # Then the runtime is among them
    assert "shared.ops.runtime" in found


def test_kernel_imports_no_other_room() -> None:
    # Given the kernel's modules
    # When their imports of other rooms are collected
    found = crossings("kernel")
    # Then there are none
    assert found == {}


def test_auth_imports_only_the_kernel() -> None:
    # Given auth's modules
    # When their imports outside auth and kernel are collected
    found = outside("auth", {None, "auth", "kernel"})
    # Then there are none
    assert found == {}


def test_store_imports_only_kernel_and_auth() -> None:
    # Given the store's modules
    # When their imports outside store, kernel and auth are collected
    found = outside("store", {None, "store", "kernel", "auth"})
    # Then there are none
    assert found == {}


def test_messaging_imports_only_kernel_auth_and_store() -> None:
    # Given messaging's modules
    # When their imports outside messaging, kernel, auth and store are collected
    found = outside("messaging", {None, "messaging", "kernel", "auth", "store"})
    # Then there are none
    assert found == {}


def test_web_imports_the_rooms_below_it_and_of_ops_only_the_runtime() -> None:
    # Given web's modules
    # When their imports outside web, kernel, auth, store and messaging are collected, the
    # runtime aside
    below = {None, "web", "kernel", "auth", "store", "messaging"}
    found = outside("web", below, frozenset({"shared.ops.runtime"}))
    # Then there are none
    assert found == {}


def test_ops_imports_no_web() -> None:
    # Given ops' modules
    # When their imports of web are collected
    found = outside("ops", {None, "ops", "kernel", "auth", "store", "messaging"})
    # Then there are none (web imports the runtime: the other way would be a cycle)
    assert found == {}


def test_nothing_in_shared_imports_services_or_tests() -> None:
    # Given every module of shared
    # When its imports of the services or the tests are collected
    found = {
        str(path.relative_to(ROOT)): sorted(
            m for m in imports_of(path) if m.split(".")[0] in ("services", "tests")
        )
        for path in sorted(SHARED.rglob("*.py"))
    }
    # Then there are none
    assert {path: modules for path, modules in found.items() if modules} == {}
