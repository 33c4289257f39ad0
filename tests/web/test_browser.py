"""Real-browser tests: Playwright driving Debian's Chromium against ``jarjesto serve``.

They skip, with the reason, only when /usr/bin/chromium is absent, and fail
instead under CI=true (.ci/run installs the chromium package). They also
write the screenshots in docs/screenshots/.
"""

from __future__ import annotations

import functools
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

if not CHROMIUM.exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError(
            "CI needs /usr/bin/chromium for the browser tests (apt-get install chromium)"
        )
    pytest.skip("Chromium is not installed at /usr/bin/chromium", allow_module_level=True)

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from .conftest import PASSWORD  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(workspace_path: str) -> Iterator[str]:
    port = _free_port()
    env = {
        **os.environ,
        "JARJESTO_SECRET_KEY": "browser-test",
        "JARJESTO_DISABLE_PLUGIN_AUTOLOAD": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "jarjesto_cli", "serve", "-w", workspace_path, "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None:
                    output = process.stdout.read().decode() if process.stdout else ""
                    raise RuntimeError(output) from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(10)
        if process.stdout is not None:
            process.stdout.close()


ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def browser(server: str) -> Iterator[Any]:
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def _page(browser: Any, server: str, viewport: dict[str, int], locale: str = "en-GB") -> Page:
    context = browser.new_context(base_url=server, viewport=viewport, locale=locale)
    return cast(Page, context.new_page())


@pytest.fixture
def page(browser: Any, server: str) -> Page:
    return _page(browser, server, DESKTOP)


def _login(
    page: Page, name: str = "User name", password: str = "Password", button: str = "Log in"
) -> None:
    page.goto("/login?lang=en")
    page.get_by_label(name).fill("eeva")
    page.get_by_label(password).fill(PASSWORD)
    page.get_by_role("button", name=button).click()
    page.wait_for_url("**/")


def _axe(page: Page) -> list[str]:
    """axe-core's violations on the page as "rule: first target" lines (none: an empty list).

    Evaluated through the DevTools protocol, which the pages' CSP (script-src 'none')
    does not govern, so the page under test runs exactly as a reader's does.
    """
    if not AXE.exists():
        if os.environ.get("CI") == "true":
            raise RuntimeError("CI needs axe-core: `npm ci` installs it into node_modules/")
        pytest.skip("axe-core is not installed: run `npm ci`")
    page.evaluate(AXE.read_text("utf-8"))
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => v.id + ': ' + v.nodes.length + ' × ' + v.nodes[0].target.join(' '))"
    )
    return list(found)


def _no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width} px wide"  # type: ignore[index]


def _checked(page: Page, shot: str | None = None) -> None:
    """Every page a flow reaches: no axe-core violation, no sideways scroll on a phone."""
    assert _axe(page) == [], page.url
    _no_sideways_scroll(page)
    if shot:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{shot}.png"), full_page=True)


def _blind_spot_flow(page: Page, lang: str, shots: str | None) -> None:
    """(a)/(c): overview → the county's blind spots → filtered → what to agree on → saved.

    Four clicks from the overview to the saved agreement: the count beside the score,
    the filter, "agree on …", save.
    """
    words = {
        "en": ("blind spots in Southwest Finland", "Service kind", "meeting place", "Filter",
               "Agree on who funds meeting place in Turku", "municipality", "Save"),
        "sv": ("Egentliga Finlands välfärdsområde: 2 blinda fläckar", "Tjänstetyp", "mötesplats",
               "Filtrera", "Avtala om ekonomiskt ansvar: Åbo, mötesplats", "kommunen", "Spara"),
    }[lang]  # fmt: skip
    count, kind_label, kind, filter_button, agree, responsible, save = words
    page.goto("/")
    _checked(page, shots and f"{shots}-1-overview")
    page.get_by_role("link", name=re.compile(re.escape(count))).click()  # 1
    page.wait_for_url("**/areas/05/blind-spots*")
    page.get_by_label(kind_label, exact=True).select_option(label=kind)
    page.get_by_role("button", name=filter_button).click()  # 2
    page.wait_for_url(re.compile(r".*kind=meeting_place.*"))
    assert page.locator("table.matrix tbody tr").count() == 1
    _checked(page, shots and f"{shots}-2-blind-spots")
    if lang == "sv":
        _only_swedish(page)
    page.get_by_role("link", name=agree).click()  # 3
    page.wait_for_url("**/edit/responsibilities/new*")
    _checked(page, shots and f"{shots}-3-agreement")
    if lang == "sv":
        _only_swedish(page)
    page.locator("#f-assignments__meeting_place").select_option(label=responsible)
    page.get_by_role("button", name=save).click()  # 4
    page.wait_for_url("**/edit/responsibilities")
    page.goto("/areas/05/blind-spots")
    assert page.locator("table.matrix tbody tr").count() == 1  # Pargas's is left
    assert "Turku" not in page.locator("table.matrix").inner_text()
    assert "Åbo" not in page.locator("table.matrix").inner_text()


def _only_swedish(page: Page) -> None:
    """No Finnish or English word in the page's text but proper names.

    A word counts as Finnish or English when the catalogues have it in a Finnish
    translation or an English message but in no Swedish translation; names of
    places, organisations and services (any language) are taken out first.
    """
    text = page.locator("main").inner_text()
    for name in _proper_names():
        text = text.replace(name, " ")
    words = set(re.findall(r"[^\W\d_]{4,}", text.lower()))
    foreign = words & _foreign_words()
    assert not foreign, (page.url, sorted(foreign))


@functools.cache
def _proper_names() -> tuple[str, ...]:
    from jarjesto_core.files import sample_dataset
    from jarjesto_core.reference import bundled_reference

    data, ref = sample_dataset(), bundled_reference()
    names: set[str] = set()
    for collection in ("organisations", "services", "structures"):
        for record in data.collection(collection):
            names.update(v for v in record.name.as_dict().values() if v)
    for year in ref.years:
        names.update(v for m in ref.municipalities_in(year) for v in m.name.as_dict().values() if v)
    names.update(v for a in ref.areas for v in a.name.as_dict().values() if v)
    return tuple(sorted(names, key=len, reverse=True))


@functools.cache
def _foreign_words() -> frozenset[str]:
    from babel.messages.pofile import read_po

    from jarjesto_core.i18n import LOCALE_DIR

    def words(lang: str, side: str) -> set[str]:
        with (LOCALE_DIR / lang / "LC_MESSAGES" / "jarjesto.po").open("rb") as handle:
            found: set[str] = set()
            for m in read_po(handle):
                texts = m.id if side == "id" else m.string
                for text in texts if isinstance(texts, tuple) else (texts,):
                    text = re.sub(r"%\([a-z_]+\)[sd]", " ", text or "")
                    found.update(re.findall(r"[^\W\d_]{4,}", text.lower()))
            return found

    swedish = words("sv", "str")
    return frozenset((words("fi", "str") | words("en", "id")) - swedish)


def test_flow_a_blind_spots_to_an_agreement(page: Page) -> None:
    _login(page)
    _blind_spot_flow(page, "en", "flow-a")


def test_flow_a_on_a_phone(browser: Any, server: str) -> None:
    phone = _page(browser, server, PHONE)
    _login(phone)
    _blind_spot_flow(phone, "en", "flow-a-phone")


def _swedish(page: Page) -> None:
    _login(page)
    page.get_by_role("link", name="På svenska").click()
    page.wait_for_url("**/")


def test_flow_c_the_same_in_swedish(browser: Any, server: str) -> None:
    page = _page(browser, server, DESKTOP, locale="sv-FI")
    _swedish(page)
    _blind_spot_flow(page, "sv", "flow-c")


def test_flow_c_on_a_phone(browser: Any, server: str) -> None:
    page = _page(browser, server, PHONE, locale="sv-FI")
    _swedish(page)
    _blind_spot_flow(page, "sv", None)


def _grant_flow(page: Page, shots: str | None) -> None:
    """(b): a grant entered with the pickers, an error beside its field, then saved."""
    page.goto("/edit/agreements/new")
    page.get_by_label("Agreement kind").select_option(label="operating grant")
    page.get_by_label("Funder").fill("Joensuu")
    page.get_by_label("Organisation", exact=False).first.fill("klubitalo")
    page.get_by_role("button", name="Find").first.click()
    page.get_by_label("Example Clubhouse Association (example)").check()
    page.get_by_label("Start date").fill("1.2.2024")
    page.get_by_label("Annual amount (€)").fill("12 5OO")
    page.get_by_role("button", name="Save").click()
    error = page.locator("#e-annual_amount_eur")
    assert "is not an amount" in error.inner_text()
    assert page.get_by_label("Annual amount (€)").get_attribute("aria-invalid") == "true"
    _checked(page, shots)
    page.get_by_label("Annual amount (€)").fill("12 500")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/edit/agreements")
    assert "Saved" in page.get_by_role("status").first.inner_text()


def test_flow_b_a_grant_with_the_pickers(page: Page) -> None:
    _login(page)
    _grant_flow(page, "flow-b")


def test_flow_b_on_a_phone(browser: Any, server: str) -> None:
    phone = _page(browser, server, PHONE)
    _login(phone)
    _grant_flow(phone, None)


def test_switch_to_swedish(page: Page) -> None:
    _login(page)
    page.get_by_role("link", name="På svenska").click()
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_role("link", name="Översikt").is_visible()
    assert "Kommuner enligt bedömningspoäng" in page.content()


def test_upload_a_csv_with_an_error_and_see_the_row(page: Page, tmp_path: Path) -> None:
    _login(page)
    csv = tmp_path / "services.csv"
    csv.write_text(
        "id;organisation;name_fi;kind\nsvc-a;pk-klubitalo;A;peer_support\n"
        "svc-b;pk-klubitalo;B;no_such_kind\n",
        "utf-8",
    )
    page.goto("/upload")
    page.get_by_label("Collection").select_option("services")
    page.get_by_label("CSV file").set_input_files(str(csv))
    page.get_by_role("button", name="Preview").click()
    alert = page.get_by_role("alert").inner_text()
    assert "services.csv: row 3" in alert
    assert "no_such_kind" in alert


#: Every page a reader, an editor or an admin opens (GET), in the three languages between them.
PAGES = (
    "/?lang=fi",
    "/areas/14?lang=sv",
    "/municipalities/167?lang=en",
    "/areas/05/blind-spots?lang=fi",
    "/municipalities/853/blind-spots?lang=sv",
    "/organisations?lang=en",
    "/organisations/pk-klubitalo?lang=fi",
    "/rules?lang=sv",
    "/edit/?lang=en",
    "/edit/agreements?lang=fi",
    "/edit/agreements/new?lang=sv",
    "/edit/responsibilities/new?lang=en",
    "/edit/hearings/new?lang=fi",
    "/edit/organisations/pk-klubitalo?lang=sv",
    "/edit/organisations/pk-klubitalo/delete?lang=en",
    "/upload?lang=fi",
    "/publisher?lang=en",
    # The standalone pages a reader opens from an area's page: the report and the summary.
    "/download/assessment/area:14.html?lang=sv&year=2024",
    "/download/summary/area:14.html?lang=fi&year=2025",
)


def test_every_page_has_no_axe_violation_and_fits_a_phone(browser: Any, server: str) -> None:
    phone = _page(browser, server, PHONE)
    phone.goto("/login?lang=sv")
    _checked(phone)
    phone.goto("/login?lang=en")
    phone.get_by_label("User name").fill("aino")  # an admin sees every page
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Log in").click()
    phone.wait_for_url("**/")
    problems = {}
    # Every page, and the error page a mistyped address gives.
    expected = [(url, 200) for url in PAGES] + [
        ("/areas/77?lang=fi", 404),
        ("/organisations/no-such?lang=sv", 404),
    ]
    for url, status in expected:
        answer = phone.goto(url)
        assert answer is not None
        assert answer.status == status, url
        found = _axe(phone)
        width = phone.evaluate("document.documentElement.scrollWidth")
        if found or width > PHONE["width"]:
            problems[url] = (width, found)
    assert problems == {}
