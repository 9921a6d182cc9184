"""The shape of the code, checked statically (docs/architecture.md, "Where code goes").

Pure AST reads of the source: no database, no imports of the apps. Files are found by walking
each app's folder, so the checks hold whatever sub-packages an app is cut into.

1. Imports flow one way: reports -> risks, resources -> projects -> tpm (risks and resources sit
   side by side and never import each other). Every import counts, wherever it sits: inside a
   function, under `TYPE_CHECKING`, in a migration; so do `importlib.import_module("...")` with
   a literal name and lazy model references (`ForeignKey("app.Model")`, `get_model`). Dotted
   strings handed to Django (`include("risks.urls")`, `INSTALLED_APPS`, Celery task names) are
   resolved by the framework from the top down and are not checked.
2. No product module over 600 lines (migrations aside).
3. Views and viewsets never own a transaction: no `transaction.atomic`, `select_for_update` or
   `tpm.concurrency.lock_current_version` in a module under a `views`/`api` package or named
   `views*.py`/`api*.py`/`*_views.py`; services do that.
4. An app's top-level folder holds no group of loose modules told apart by a prefix
   (`board_services.py` + `board_selectors.py`): that group is a capability sub-package waiting
   to be cut.
"""

import ast
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Each app and the apps it may import (itself included).
ALLOWED_IMPORTS: dict[str, frozenset[str]] = {
    "tpm": frozenset({"tpm"}),
    "projects": frozenset({"projects", "tpm"}),
    "resources": frozenset({"resources", "projects", "tpm"}),
    "risks": frozenset({"risks", "projects", "tpm"}),
    "reports": frozenset({"reports", "risks", "resources", "projects", "tpm"}),
}
APPS = tuple(ALLOWED_IMPORTS)

MAX_MODULE_LINES = 600

VIEW_LAYER_NAMES = frozenset({"views", "api"})
LOCKING_ATTRIBUTES = frozenset({"select_for_update", "lock_current_version"})

MODEL_REFERENCE_CALLS = frozenset({"ForeignKey", "OneToOneField", "ManyToManyField", "get_model"})


@dataclass(frozen=True)
class Module:
    path: Path  # absolute
    app: str

    @property
    def relative(self) -> str:
        return self.path.relative_to(ROOT).as_posix()

    @property
    def parts(self) -> tuple[str, ...]:
        """Path components inside the repository, the file's stem last (`projects/views/board`)."""
        return self.path.relative_to(ROOT).with_suffix("").parts

    @property
    def dotted(self) -> str:
        parts = self.parts
        return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)

    @property
    def package(self) -> str:
        """The package relative imports start from."""
        parts = self.parts
        return ".".join(parts if parts[-1] == "__init__" else parts[:-1])

    @property
    def is_migration(self) -> bool:
        return "migrations" in self.parts[:-1]

    @property
    def is_package_init(self) -> bool:
        return self.parts[-1] == "__init__"


def _modules(*, migrations: bool) -> Iterator[Module]:
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if any(part.startswith(".") or part == "__pycache__" for part in path.parts):
                continue
            module = Module(path=path, app=app)
            if module.is_migration and not migrations:
                continue
            yield module


@cache
def _source(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(_source(path), filename=str(path))


def _app_of(dotted: str) -> str | None:
    top = dotted.split(".", 1)[0]
    return top if top in ALLOWED_IMPORTS else None


# --- 1. Import direction --------------------------------------------------------------------


def _resolve_relative(module: Module, level: int, name: str | None) -> str:
    package = module.package.split(".")
    base = package[: len(package) - (level - 1)] if level > 1 else package
    return ".".join([*base, name] if name else base)


def _string_arg(call: ast.Call) -> str | None:
    if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
        return call.args[0].value
    for keyword in call.keywords:
        if keyword.arg in {"to", "name"} and isinstance(keyword.value, ast.Constant):
            value = keyword.value.value
            return value if isinstance(value, str) else None
    return None


def _call_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _referenced_modules(module: Module, tree: ast.Module) -> Iterator[tuple[int, str]]:
    """(line, dotted name) of every module this one imports or reaches for by name."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                yield node.lineno, _resolve_relative(module, node.level, node.module)
            elif node.module:
                yield node.lineno, node.module
        elif isinstance(node, ast.Call):
            name = _call_name(node)
            target = _string_arg(node)
            if target is None:
                continue
            if name in {"import_module", "__import__"}:
                yield node.lineno, target
            elif name == "get_model" and len(node.args) >= 2:
                yield node.lineno, target  # apps.get_model("risks", "Risk")
            elif name in MODEL_REFERENCE_CALLS and "." in target:
                yield node.lineno, target  # ForeignKey("projects.Task"): the app label


def _upward_imports() -> list[str]:
    offences = []
    for module in _modules(migrations=True):
        allowed = ALLOWED_IMPORTS[module.app]
        for line, target in _referenced_modules(module, _tree(module.path)):
            target_app = _app_of(target)
            if target_app is not None and target_app not in allowed:
                offences.append(f"{module.relative}:{line} imports {target}")
    return offences


def test_imports_flow_down_from_reports_to_tpm():
    # given every module of the five apps, migrations included
    # then none imports an app above it, or the app beside it (risks <-> resources)
    offences = _upward_imports()
    assert offences == [], (
        "imports against reports -> risks, resources -> projects -> tpm "
        "(the lower app exposes a function or a signal instead):\n" + "\n".join(offences)
    )


def test_the_import_scan_sees_every_kind_of_import():
    # given a module with each kind of import, placed in tpm
    source = (
        "import projects.models\n"
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from resources.models import Resource\n"
        "def later():\n"
        "    from reports import health\n"
        "    import importlib\n"
        "    importlib.import_module('risks.selectors')\n"
        "from . import roles\n"
        "fk = ForeignKey('projects.Task', on_delete=None)\n"
    )
    module = Module(path=ROOT / "tpm" / "probe.py", app="tpm")
    # when it is scanned
    found = sorted(_referenced_modules(module, ast.parse(source)))
    # then each one is seen, the relative one resolved to tpm
    assert found == [
        (1, "projects.models"),
        (2, "typing"),
        (4, "resources.models"),
        (6, "reports"),
        (7, "importlib"),
        (8, "risks.selectors"),
        (9, "tpm"),
        (10, "projects.Task"),
    ]


# --- 2. Module size -------------------------------------------------------------------------


def _oversized_modules() -> list[str]:
    offences = []
    for module in _modules(migrations=False):
        lines = len(_source(module.path).splitlines())
        if lines > MAX_MODULE_LINES:
            offences.append(f"{module.relative}: {lines} lines")
    return offences


def test_no_module_is_over_600_lines():
    # given every product module (migrations are generated)
    # then each one stays within the limit: split before, not after
    offences = _oversized_modules()
    assert offences == [], f"modules over {MAX_MODULE_LINES} lines:\n" + "\n".join(offences)


# --- 3. No transactions in views and viewsets -----------------------------------------------


def _is_view_layer(module: Module) -> bool:
    inside_app = module.parts[1:]  # without the app itself
    packages, stem = inside_app[:-1], inside_app[-1]
    if any(part in VIEW_LAYER_NAMES for part in packages) or stem in VIEW_LAYER_NAMES:
        return True
    return any(
        stem.startswith(f"{name}_") or stem.endswith(f"_{name}") for name in VIEW_LAYER_NAMES
    )


def _transaction_aliases(tree: ast.Module) -> tuple[set[str], set[str]]:
    """Names bound to django.db.transaction, and to its atomic, anywhere in the module."""
    modules, atomics = {"transaction"}, set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.db":
            modules |= {a.asname or a.name for a in node.names if a.name == "transaction"}
        elif isinstance(node, ast.ImportFrom) and node.module == "django.db.transaction":
            atomics |= {a.asname or a.name for a in node.names if a.name == "atomic"}
        elif isinstance(node, ast.Import):
            modules |= {
                a.asname for a in node.names if a.name == "django.db.transaction" and a.asname
            }
    return modules, atomics


def _transaction_uses(module: Module) -> Iterator[tuple[int, str]]:
    tree = _tree(module.path)
    transaction_names, atomic_names = _transaction_aliases(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            if node.attr in LOCKING_ATTRIBUTES:
                yield node.lineno, node.attr
            elif (
                node.attr == "atomic"
                and isinstance(node.value, ast.Name)
                and node.value.id in transaction_names
            ):
                yield node.lineno, "transaction.atomic"
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            if node.id in atomic_names:
                yield node.lineno, "atomic"
            elif node.id in LOCKING_ATTRIBUTES:
                yield node.lineno, node.id


def _transactions_in_views() -> list[str]:
    offences = []
    for module in _modules(migrations=False):
        if _is_view_layer(module):
            for line, what in sorted(set(_transaction_uses(module))):
                offences.append(f"{module.relative}:{line} uses {what}")
    return offences


def test_views_and_viewsets_own_no_transaction():
    # given every page and API module
    # then none opens a transaction or takes a row lock: services own their transactions
    offences = _transactions_in_views()
    assert offences == [], (
        "transactions or locks in views/viewsets (move them into a service):\n"
        + "\n".join(offences)
    )


def test_the_view_layer_is_found_in_any_layout():
    def layer(path: str) -> bool:
        return _is_view_layer(Module(path=ROOT / path, app=path.split("/", 1)[0]))

    assert layer("projects/agile/views/board.py")
    assert layer("projects/agile/views.py")
    assert layer("projects/agile/views/board.py")
    assert layer("projects/agile/api.py")
    assert layer("projects/agile/api/serializers.py")
    assert layer("projects/views_board.py")
    assert layer("tpm/system_views.py")
    assert not layer("projects/agile/services.py")
    assert not layer("projects/agile/services/board.py")
    assert not layer("projects/previews.py")


# --- 4. No loose prefixed modules at an app's top level --------------------------------------


def _prefixed_groups() -> list[str]:
    offences = []
    for app in APPS:
        groups: dict[str, list[str]] = defaultdict(list)
        for path in sorted((ROOT / app).glob("*.py")):
            stem = path.stem
            if stem.startswith("_") or "_" not in stem:
                continue
            groups[stem.split("_", 1)[0]].append(path.name)
        for prefix, names in sorted(groups.items()):
            if len(names) >= 2:
                offences.append(f"{app}/{prefix}_*: {', '.join(names)}")
    return offences


def test_no_app_keeps_loose_modules_told_apart_by_a_prefix():
    # given the modules directly in each app's folder
    # then no two share a `<prefix>_`: such a group becomes a capability sub-package
    offences = _prefixed_groups()
    assert offences == [], (
        "groups of loose prefixed modules (cut each into a sub-package):\n" + "\n".join(offences)
    )
