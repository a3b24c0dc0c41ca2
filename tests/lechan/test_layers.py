"""The house holds: the core imports no content app and names none; modules stay small.

The core is `lechan/` less its site layer (`lechan/site/`, `settings.py`, `urls.py`) and
its migrations (history, which names the apps it depended on). Content apps are the local
apps of INSTALLED_APPS other than lechan; they plug in through lechan/content.py.
"""

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings

from lechan import content

BASE_DIR = Path(settings.BASE_DIR)
CORE = BASE_DIR / "lechan"
SITE_LAYER = [CORE / "site", CORE / "settings.py", CORE / "urls.py"]
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 50
ACTIONS = ("view", "add", "change", "delete")


def local_apps():
    """The app configs of this project: the packages at its top level, beside manage.py (a
    virtualenv inside the project, whatever its name, holds its apps deeper down)."""
    root = BASE_DIR.resolve()
    configs = apps.get_app_configs()
    return [config for config in configs if Path(config.path).resolve().parent == root]


def content_apps():
    return [config for config in local_apps() if config.name != "lechan"]


def python_modules(root):
    for path in sorted(root.rglob("*.py")):
        if "migrations" not in path.relative_to(root).parts:
            yield path


def core_modules():
    for path in python_modules(CORE):
        if not any(path == part or path.is_relative_to(part) for part in SITE_LAYER):
            yield path


def parsed(path):
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imported_roots(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0]


def app_names(configs):
    """Each way a string may name a content app: its label, its models' permission codenames."""
    labels = {config.label for config in configs} | {config.name for config in configs}
    codenames = {
        f"{action}_{model._meta.model_name}"
        for config in configs
        for model in config.get_models()
        for action in ACTIONS
    }
    return labels, codenames


def names_an_app(text, labels, codenames):
    if text in labels or text in codenames:
        return True
    return any(text.startswith((f"{label}.", f"{label}:", f"{label}/")) for label in labels)


def relative(path):
    return str(path.relative_to(BASE_DIR))


def test_the_core_imports_no_content_app():
    apps_by_module = {config.name.split(".")[0] for config in content_apps()}
    offenders = [
        f"{relative(path)} imports {root}"
        for path in core_modules()
        for root in sorted(set(imported_roots(parsed(path))) & apps_by_module)
    ]
    assert not offenders, "\n".join(offenders)


def test_the_core_names_no_content_app():
    labels, codenames = app_names(content_apps())
    offenders = [
        f"{relative(path)}:{node.lineno} names {node.value!r}"
        for path in core_modules()
        for node in ast.walk(parsed(path))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and names_an_app(node.value, labels, codenames)
    ]
    assert not offenders, "\n".join(offenders)


def test_the_apps_checked_are_the_projects_own():
    """Not the libraries' (in whatever virtualenv), and not none: the checks below would pass."""
    found = local_apps()
    assert {"lechan", "articles", "projects"} <= {config.name for config in found}
    assert not [config.name for config in found if "site-packages" in Path(config.path).parts]


def test_every_content_app_registers_with_the_core():
    unregistered = {config.label for config in content_apps()} - content.app_labels()
    assert not unregistered


def project_modules():
    for config in local_apps():
        yield from python_modules(Path(config.path))


def test_no_module_is_over_400_lines():
    offenders = [
        f"{relative(path)}: {length} lines"
        for path in project_modules()
        if (length := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    ]
    assert not offenders, "\n".join(offenders)


def test_no_function_is_over_50_lines():
    offenders = [
        f"{relative(path)}:{node.lineno} {node.name}: {length} lines"
        for path in project_modules()
        for node in ast.walk(parsed(path))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and (length := node.end_lineno - node.lineno + 1) > MAX_FUNCTION_LINES
    ]
    assert not offenders, "\n".join(offenders)


def module_name(path):
    parts = path.relative_to(BASE_DIR).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(tree, known):
    """The core modules `tree` imports, at its top or inside a function (a late import
    dodges a cycle at load time but keeps it in the design)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
        else:
            continue
        yield from (name for name in names if name in known)


def cycles(graph):
    """Each import cycle of `graph` ({module: {module, …}}), as the path around it."""
    found, state = [], {}

    def visit(module, path):
        state[module] = "open"
        for target in sorted(graph[module]):
            if state.get(target) == "open":
                found.append(path[path.index(target) :] + [target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    return found


def test_the_core_has_no_import_cycle():
    """Between modules, not counting a package and the modules it gathers."""
    paths = {module_name(path): path for path in core_modules()}
    graph = {
        module: {
            target
            for target in imported_modules(parsed(path), paths)
            if target != module and not module.startswith(target + ".")
        }
        for module, path in paths.items()
    }
    assert cycles(graph) == []


def test_a_cycle_between_two_modules_is_found():
    assert cycles({"a": {"b"}, "b": {"a"}, "c": set()}) == [["a", "b", "a"]]
