"""The public verification page (/verifier) never shows a verdict that belongs to another
reference: a forged reference opened right after a genuine one, in the same tab, is never seen as
valid, not even for a moment."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.e2e.conftest import new_holder
from tests.e2e.test_documents import open_documents, qr_url

# Every text the verdict element shows, recorded in the page itself from its first paint.
RECORD_VERDICTS = """
window.__verdicts = [];
new MutationObserver(() => {
  const v = document.getElementById('verdict');
  if (v) window.__verdicts.push(v.textContent);
}).observe(document, {subtree: true, childList: true, characterData: true});
"""


def test_a_forged_reference_after_a_genuine_one_never_shows_the_previous_verdict(
    new_page, app_engine
):
    holder = new_page("desktop")
    open_documents(holder, new_holder(app_engine))
    form = holder.locator("#attestation-form")
    form.get_by_label("Contrat").select_option(index=1)
    form.get_by_role("button", name="Générer l'attestation").click()
    link = holder.locator("#issued-link")
    expect(link).to_be_visible(timeout=60_000)  # a PDF to render on a busy machine
    with holder.expect_download() as download:
        link.click()
    url = urlsplit(qr_url(open(download.value.path(), "rb").read()))
    genuine = f"{url.path}?{url.query}"
    forged = genuine[:-3] + ("AAA" if not genuine.endswith("AAA") else "BBB")

    page = new_page("desktop")  # a third party's tab
    page.add_init_script(RECORD_VERDICTS)
    for attempt in range(3):  # the old bug showed up about once in three tries
        page.goto(genuine)
        expect(page.locator("#verdict")).to_have_text("Attestation valide")
        page.goto(forged)
        expect(page.locator("#verdict")).to_contain_text("Référence inconnue ou modifiée")
        seen = page.evaluate("window.__verdicts")
        assert not [v for v in seen if "valide" in v], (attempt, seen)
