"""The public API: one import, one exception type, no frontend imports."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

import jarjesto_core as j


def test_import_does_not_import_click_or_flask() -> None:
    code = (
        "import sys, jarjesto_core as j\n"
        "j.sample_dataset()\n"
        "frontends = ('click', 'flask', 'jarjesto_cli', 'jarjesto_web')\n"
        "bad = [m for m in frontends if m in sys.modules]\n"
        "print(bad)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_import_is_light() -> None:
    code = "import sys, jarjesto_core\nprint('cattrs' in sys.modules)\n"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"


@pytest.mark.parametrize("name", j.__all__)
def test_every_public_name_resolves(name: str) -> None:
    assert getattr(j, name) is not None


def test_validate_is_the_function_even_after_its_module_loads() -> None:
    import jarjesto_core.validation  # noqa: F401

    assert callable(j.validate)
    assert j.validate.__module__ == "jarjesto_core.validation"


def test_assess_is_the_function_even_after_its_namesake_module_loads() -> None:
    code = (
        "import jarjesto_core.assessment\n"
        "import jarjesto_core as j\n"
        "from jarjesto_core import assess\n"
        "print(callable(j.assess), assess is j.assess, j.assess.__module__)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["True", "True", "jarjesto_core.assessment"]


def test_unknown_attribute() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'assessx'"):
        j.assessx  # noqa: B018


def test_one_exception_type_carries_every_problem(tmp_path: object) -> None:
    assert issubclass(j.DatasetError, j.JarjestoError)
    with pytest.raises(j.DatasetError) as info:
        j.read_dataset("/nonexistent/region.json")
    assert [p.render("en") for p in info.value.problems] == [
        "/nonexistent/region.json: no such file"
    ]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=10,
)
record_keys = st.sampled_from(
    [
        "id",
        "name",
        "kind",
        "party",
        "organisation",
        "start",
        "end",
        "municipalities",
        "languages",
        "scope",
        "members",
        "services",
        "assignments",
        "topics",
        "meetings",
        "annual_amount_eur",
        "municipality",
        "area",
        "date",
        "organisations",
        "title",
    ]
)
records = st.dictionaries(record_keys, json_values, max_size=6)
documents = st.fixed_dictionaries(
    {"format": st.just("jarjesto-dataset"), "version": st.just(1)},
    optional={
        name: st.lists(records, max_size=3)
        for name in (
            "organisations",
            "services",
            "agreements",
            "responsibilities",
            "structures",
            "coordinators",
            "hearings",
            "commitments",
        )
    },
)


def outcome(text: str) -> tuple[j.Problem, ...]:
    """A dataset, or a DatasetError with at least one problem: any other exception fails."""
    try:
        j.load_dataset(text)
    except j.DatasetError as exc:
        problems = exc.problems
    else:
        return ()
    assert problems
    return problems


@given(json_values | documents)
def test_no_input_ends_in_anything_but_a_dataset_error(doc: object) -> None:
    problems = outcome(json.dumps(doc))
    assert all(p.render("en") for p in problems)


@given(st.text(max_size=40))
def test_no_text_ends_in_anything_but_a_dataset_error(text: str) -> None:
    outcome(text)


def test_no_public_name_is_shadowed_by_a_submodule() -> None:
    """A function named like its module (``assess`` in ``assess.py``) becomes the
    module once anything imports that module; every public name must stay itself."""
    code = (
        "import pkgutil, importlib, types, jarjesto_core as j\n"
        "for m in pkgutil.walk_packages(j.__path__, 'jarjesto_core.'):\n"
        "    if '.workspace' not in m.name and '.opendata' not in m.name:\n"
        "        importlib.import_module(m.name)\n"
        "bad = [n for n in j.__all__ if isinstance(getattr(j, n), types.ModuleType)]\n"
        "print(bad)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "[]\n"
