"""Icons are SVG, never emoji: an emoji renders as an empty box on machines without an emoji
font (Debian's Chromium out of the box, WeasyPrint's PDFs), as the bell and the blocked mark did."""

from pathlib import Path

import pytest
from django.urls import reverse

from tests.conftest import client_for

ROOT = Path(__file__).resolve().parents[2]

# Code points shown as emoji by default (Unicode's Emoji_Presentation): the pictographs above
# U+1F000 and the older symbols that were given emoji presentation.
_BMP_EMOJI = [
    (0x231A, 0x231B), (0x23E9, 0x23EC), (0x23F0, 0x23F0), (0x23F3, 0x23F3), (0x25FD, 0x25FE),
    (0x2614, 0x2615), (0x2648, 0x2653), (0x267F, 0x267F), (0x2693, 0x2693), (0x26A1, 0x26A1),
    (0x26AA, 0x26AB), (0x26BD, 0x26BE), (0x26C4, 0x26C5), (0x26CE, 0x26CE), (0x26D4, 0x26D4),
    (0x26EA, 0x26EA), (0x26F2, 0x26F3), (0x26F5, 0x26F5), (0x26FA, 0x26FA), (0x26FD, 0x26FD),
    (0x2705, 0x2705), (0x270A, 0x270B), (0x2728, 0x2728), (0x274C, 0x274C), (0x274E, 0x274E),
    (0x2753, 0x2755), (0x2757, 0x2757), (0x2795, 0x2797), (0x27B0, 0x27B0), (0x27BF, 0x27BF),
    (0x2B1B, 0x2B1C), (0x2B50, 0x2B50), (0x2B55, 0x2B55),
]  # fmt: skip


def _is_emoji(char: str) -> bool:
    code = ord(char)
    return 0x1F000 <= code <= 0x1FAFF or any(low <= code <= high for low, high in _BMP_EMOJI)


def test_no_template_or_script_draws_an_emoji():
    files = [*ROOT.joinpath("templates").rglob("*.html"), *ROOT.joinpath("frontend").rglob("*")]
    found = {
        f"{path.relative_to(ROOT)}: {char!r}"
        for path in files
        if path.is_file()
        for char in path.read_text(encoding="utf-8")
        if _is_emoji(char)
    }
    assert found == set()


@pytest.mark.django_db
def test_the_bell_is_an_svg_with_a_name(world):
    page = client_for(world.member).get(reverse("my-work")).content.decode()
    bell = page[page.index('class="bell"') : page.index("</a>", page.index('class="bell"'))]
    assert "<svg" in bell and "Notifications" in bell
    assert not any(_is_emoji(char) for char in page)
