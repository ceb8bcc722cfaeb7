"""Reading rendered pages in tests."""

import re


def field_html(page: str, input_id: str) -> str:
    """The `div.field` of a rendered form that holds the input with this id."""
    found = re.search(
        rf'<div class="field[^"]*"><label for="{input_id}">.*?</div>', page, flags=re.DOTALL
    )
    assert found, f"no field {input_id}"
    return found.group(0)
