"""The web edition (`build --variant html`): the PDF's content in semantic HTML, escaped,
deterministic, with the style's fonts beside it. (Browser checks: test_web_browser.py.)"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import html as lxml_html

from conftest import LEAFLETS, ROOT, style
from leafwright.cli import main
from leafwright.pdfread import inspect_pdf
from leafwright.render import load_leaflet, render
from leafwright.web import EditionLink, WebOptions, render_web
from test_build import write_leaflet


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def page_tree(source, st=None, options=None):
    return lxml_html.fromstring(render_web(source, st or style(), options).html)


def html_headings(tree) -> list[tuple[int, str]]:
    return [(int(h.tag[1]), norm(h.text_content())) for h in tree.iter("h1", "h2", "h3", "h4", "h5", "h6")]


def pdf_headings(path: Path) -> list[tuple[int, str]]:
    rep = inspect_pdf(path)
    return [
        (int(n.std_role[1]), norm(n.text()))
        for n in rep.tree.walk()
        if re.fullmatch(r"H[1-6]", n.std_role or "")
    ]


@pytest.fixture(scope="module")
def starter(tmp_path_factory) -> Path:
    """`leafwright new`'s leaflet: every block type, an image among them."""
    from leafwright.starter import write_starter

    folder = tmp_path_factory.mktemp("starter")
    return write_starter("every-block", folder)[0]


@pytest.mark.parametrize("path", LEAFLETS, ids=lambda p: p.stem)
def test_headings_nest_as_in_the_pdf(samples, path):
    source = load_leaflet(path)
    pdf = samples[(source.leaflet.id, "default")]
    assert html_headings(page_tree(source)) == pdf_headings(pdf)


def test_every_block_type_has_its_html_element(starter, tmp_path):
    source = load_leaflet(starter)
    pdf = tmp_path / "starter.pdf"
    pdf.write_bytes(render(source, style()))
    tree = page_tree(source)
    assert html_headings(tree) == pdf_headings(pdf)
    main_ = tree.find(".//main")
    # lists: the bullets, the numbered steps, the links (and key points, sources)
    assert [li.text_content() for li in main_.find(".//section/ol").iter("li")] == [
        "The first step.",
        "The second step.",
    ]
    assert main_.xpath(".//ul/li[strong='A bold lead-in.']")
    # FAQ: the question a heading one level below its section, the answer after it
    q = main_.xpath(".//h3[@class='question']")[0]
    assert q.text_content() == "Is this a question?"
    assert q.getnext().tag == "p" and q.getnext().text_content().startswith("Yes.")
    # callout: an aside named by its label
    aside = main_.find(".//aside")
    label = tree.get_element_by_id(aside.get("aria-labelledby"))
    assert label.text_content() == "Warning: Before you start"
    # table: caption and column headers
    table = main_.find(".//table")
    assert table.find("caption").text_content() == "An example table"
    assert [(th.get("scope"), th.text_content()) for th in table.iter("th")] == [
        ("col", "When"),
        ("col", "What to do"),
    ]
    assert [td.text_content() for td in table.find("tbody").iter("td")][:2] == [
        "Morning",
        "Take the tablet with water",
    ]
    # figure: alt text and caption, the picture beside the page
    fig = main_.find(".//figure")
    img = fig.find("img")
    assert img.get("alt") == "A blue square with a white circle in it."
    assert re.fullmatch(r"images/every-block-picture-[0-9a-f]{8}\.png", img.get("src"))
    assert fig.find("figcaption").text_content() == "A picture with a caption."
    assert int(img.get("width")) == round(50 / 25.4 * 96)  # 50 mm, as wide as in the PDF
    # links, with the governance block and contact panel
    assert main_.xpath(".//a[@href='https://example.org/']") or main_.xpath(
        ".//a[@href='https://example.org']"
    )
    assert main_.xpath(".//a[@href='tel:08000000000']")
    assert main_.xpath(".//a[@href='mailto:info@example.org']")
    facts = [norm(d.text_content()) for d in main_.find(".//dl").iter("div")]
    assert facts[0] == "Version: 0.1"
    assert tree.find(".//footer").text_content().strip().startswith("Example Health Charity")


def test_the_page_reads_the_pdf_text_in_the_same_order(samples):
    """Every word of the PDF's tagged text, in order, is in the page (labels and the QR code aside)."""
    path = ROOT / "leaflets" / "oi-bisphosphonates.yaml"
    source = load_leaflet(path)
    rep = inspect_pdf(samples[(source.leaflet.id, "default")])
    pdf_words = " ".join(
        n.text()
        for n in rep.tree.walk()
        if n.std_role in ("H1", "H2", "H3", "H4", "P", "LBody", "TH", "TD", "Caption")
        and not any(k.std_role in ("P", "LBody") for k in n.elements)
    ).split()
    assert len(pdf_words) > 1000
    tree = page_tree(source)
    for el in tree.xpath("//nav | //footer | //a[@class='skip-link'] | //head"):
        el.getparent().remove(el)
    page_words = tree.text_content().split()
    # the page's words, in order, hold the PDF's words in order
    it = iter(page_words)
    missing = [w for w in pdf_words if not any(w == p for p in it)]
    assert not missing, missing[:10]


def test_same_inputs_give_identical_bytes_in_another_process(tmp_path):
    # a copy on its own: beside its sample translations it would link to them
    (tmp_path / "src").mkdir()
    path = tmp_path / "src" / "denosumab-osteoporosis.yaml"
    shutil.copy(ROOT / "leaflets" / "denosumab-osteoporosis.yaml", path)
    here = render_web(load_leaflet(path), style())
    out = tmp_path / "out"
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "leafwright.cli",
            "build",
            str(path),
            "--variant",
            "html",
            "--out",
            str(out),
            "--style",
            str(ROOT / "styles" / "default.yaml"),
        ],
        check=False,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert r.returncode == 0, r.stderr
    assert (out / here.page).read_bytes() == here.html
    for a in here.assets:
        assert (out / a.name).read_bytes() == a.data, a.name
    written = [p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()]
    # (the archive keeps the published YAML: the living-documents part, not the web edition)
    assert sorted(p for p in written if not p.startswith("archive/")) == sorted(
        [here.page, "manifest.json"] + [a.name for a in here.assets]
    )


def test_fonts_are_the_styles_as_woff2_and_a_fallback_subset_for_greek():
    source = load_leaflet(ROOT / "leaflets" / "denosumab-osteoporosis.yaml")  # has a Greek capital beta
    web = render_web(source, style())
    names = [a.name for a in web.assets]
    assert all(a.data[:4] == b"wOF2" for a in web.assets)
    assert sum(n.startswith("fonts/AtkinsonHyperlegible-") for n in names) == 4
    fallback = [a for a in web.assets if a.name.startswith("fonts/NotoSans-")]
    assert len(fallback) == 1 and len(fallback[0].data) < 20_000  # the characters needed, not 2 MB
    page = web.html.decode()
    assert "unicode-range: U+0392;" in page
    assert "Kappa-\u0392 Ligand" in page


def test_a_leaflet_cannot_inject_markup(tmp_path):
    evil = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    body = f"""\
subtitle: '{evil}'
key_points: {{items: ['{evil}']}}
sections:
  - heading: '{evil}'
    blocks:
      - paragraph: 'Text {evil} and [a link](https://example.org/?q="><script>x</script>)'
      - table: {{caption: '{evil}', header: ['{evil}'], rows: [['{evil}']]}}
      - callout: {{title: '{evil}', text: '{evil}'}}
      - links: {{items: [{{text: '{evil}', url: "https://example.org", description: '{evil}'}}]}}
"""
    path = write_leaflet(tmp_path, body, title="'<script>alert(0)</script>'")
    page = render_web(load_leaflet(path), style()).html.decode()
    tree = lxml_html.fromstring(page)
    assert not tree.xpath("//script")
    assert not [a for el in tree.iter() for a in el.attrib if a.startswith("on")]
    assert not tree.xpath("//img[@src='x']")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&#34;&gt;&lt;img src=x onerror=alert(2)&gt;" in page
    assert tree.find(".//h1").text_content() == "<script>alert(0)</script>"
    # the link target is the address as written (escaped in the attribute), nothing more
    assert tree.xpath("//main//p/a")[0].get("href") == 'https://example.org/?q="><script>x</script>'


def test_lang_on_the_page_blocks_and_spans(tmp_path):
    body = """\
sections:
  - heading: Languages
    blocks:
      - paragraph: "Say [Croeso]{lang=cy} to everyone."
      - paragraph: Mae'r daflen hon ar gael yn Gymraeg.
        lang: cy
      - bullets: [Un, Dau]
        lang: cy
"""
    path = write_leaflet(tmp_path, body)
    tree = page_tree(load_leaflet(path))
    assert tree.get("lang") == "en-GB"
    assert tree.xpath("//span[@lang='cy']")[0].text_content() == "Croeso"
    assert tree.xpath("//p[@lang='cy']")[0].text_content() == "Mae'r daflen hon ar gael yn Gymraeg."
    assert [li.text_content() for li in tree.xpath("//ul[@lang='cy']/li")] == ["Un", "Dau"]


def test_brand_colours_logo_and_links_to_the_pdf_editions():
    source = load_leaflet(ROOT / "leaflets" / "oi-bisphosphonates.yaml")
    heather = style("heather")
    links = (
        EditionLink("PDF", "oi-bisphosphonates.pdf"),
        EditionLink("Large print PDF", "oi-bisphosphonates.large-print.pdf"),
    )
    web = render_web(source, heather, WebOptions(editions=links))
    page = web.html.decode()
    assert "--primary: #5b2a6e;" in page and "--accent: #3d6b21;" in page
    tree = lxml_html.fromstring(page)
    assert "band" not in tree.find(".//header").get("class")  # heather has no title band
    logo = tree.find(".//header//img")
    assert logo.get("alt") and logo.get("src").startswith("images/heather-logo-")
    assert any(a.name == logo.get("src") for a in web.assets)
    nav = tree.find(".//nav")
    assert [(a.text_content(), a.get("href")) for a in nav.iter("a")] == [
        ("PDF", "oi-bisphosphonates.pdf"),
        ("Large print PDF", "oi-bisphosphonates.large-print.pdf"),
    ]
    assert tree.xpath("//head/link[@rel='alternate'][@type='application/pdf']")


def test_build_html_links_the_pdfs_built_with_it_and_is_incremental(tmp_path):
    leaflet = ROOT / "leaflets" / "oi-bisphosphonates.yaml"
    out = tmp_path / "out"
    runner = (
        CliRunner(mix_stderr=False)
        if "mix_stderr" in CliRunner.__init__.__code__.co_varnames
        else CliRunner()
    )
    args = [
        "build",
        str(leaflet),
        "--variant",
        "standard,print,html",
        "--out",
        str(out),
        "--style",
        str(ROOT / "styles" / "default.yaml"),
    ]
    r = runner.invoke(main, args)
    assert r.exit_code == 0, r.output
    assert "oi-bisphosphonates.html  (1 web page)" in r.output
    tree = lxml_html.fromstring((out / "oi-bisphosphonates.html").read_bytes())
    # the reading PDF is linked; the printer's file is not
    assert [a.get("href") for a in tree.find(".//nav").iter("a")] == ["oi-bisphosphonates.pdf"]
    manifest = {e["path"]: e for e in json.loads((out / "manifest.json").read_text())["outputs"]}
    assert manifest["oi-bisphosphonates.html"]["pdfua"] == "not-a-pdf"
    assert manifest["oi-bisphosphonates.html"]["variant"] == "html"
    assert not any(p.startswith("fonts/") for p in manifest)  # shared files are not entries
    again = runner.invoke(main, args)
    assert again.exit_code == 0 and "0 built" in again.output
    # another set of editions changes the page's links: it is rebuilt
    third = runner.invoke(main, args[:3] + ["standard,large-print,html"] + args[4:])
    assert (
        "built   out/oi-bisphosphonates.html" in third.output.replace(str(tmp_path) + "/", "")
        or "oi-bisphosphonates.html  (1 web page)" in third.output
    )
    tree = lxml_html.fromstring((out / "oi-bisphosphonates.html").read_bytes())
    assert [a.get("href") for a in tree.find(".//nav").iter("a")] == [
        "oi-bisphosphonates.pdf",
        "oi-bisphosphonates.large-print.pdf",
    ]


def test_a_missing_picture_is_a_located_error_and_writes_no_page(tmp_path):
    body = """\
sections:
  - heading: Pictures
    blocks:
      - image: {file: nowhere.png, alt: A picture that is not there}
"""
    path = write_leaflet(tmp_path, body)
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["build", str(path), "--variant", "html", "--out", str(out)])
    assert r.exit_code == 1
    assert re.search(
        r"test-leaflet\.yaml:\d+:\d+: sections\[0\]\.blocks\[0\]\.image\.file: image file not found", r.output
    )
    assert not (out / "test-leaflet.html").exists()


def test_site_lists_published_reading_editions_only_with_sizes_and_thumbnails(tmp_path):
    src = tmp_path / "leaflets"
    src.mkdir()
    body = "sections:\n  - heading: One\n    blocks:\n      - paragraph: Some text.\n"
    write_leaflet(
        src, "key_points: {items: [The point of it all.]}\n" + body, lid="approved", title="Approved one"
    )
    write_leaflet(src, "status: draft\n" + body, lid="drafted", title="Still a draft")
    write_leaflet(
        src, "status: withdrawn\nwithdrawn_on: 2025-01-01\n" + body, lid="withdrawn", title="Taken back"
    )
    out = tmp_path / "out"
    runner = CliRunner()
    r = runner.invoke(
        main, ["build", str(src), "--variant", "standard,booklet,print,html", "--out", str(out)]
    )
    assert r.exit_code in (0, 1), r.output
    assert (out / "approved.html").is_file()
    r = runner.invoke(main, ["site", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "(1 leaflet)" in r.output
    first = (out / "index.html").read_bytes()
    tree = lxml_html.fromstring(first)
    items = tree.xpath("//ul[@id='leaflets']/li")
    assert [norm(li.find(".//h2").text_content()) for li in items] == ["Approved one"]
    li = items[0]
    assert norm(li.find(".//p[@class='summary']").text_content()) == "The point of it all."
    files = [(a.text_content(), a.get("href")) for a in li.xpath(".//ul[@class='files']//a")]
    # the reading editions, web page first; never the print file or the imposed booklet
    assert files == [
        ("Web page", "approved.html"),
        ("PDF", "approved.pdf"),
        ("A5 booklet PDF", "approved.booklet-a5.pdf"),
    ]
    pdf_size = (out / "approved.pdf").stat().st_size
    assert f"(PDF, {round(pdf_size / 1000)} KB, 1 page)" in norm(li.text_content())
    thumb = li.find(".//img")
    assert thumb.get("alt") == "" and (out / thumb.get("src")).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert runner.invoke(main, ["site", "--out", str(out)]).exit_code == 0
    assert (out / "index.html").read_bytes() == first  # the same folder gives the same page


def test_site_without_a_build_is_a_usage_error(tmp_path):
    r = CliRunner().invoke(main, ["site", "--out", str(tmp_path / "nothing")])
    assert r.exit_code == 2
    assert "no manifest.json" in r.output and "leafwright build" in r.output


def test_a_draft_web_page_says_so_and_goes_with_its_fonts_to_drafts(tmp_path):
    body = "status: draft\nsections:\n  - heading: One\n    blocks:\n      - paragraph: Some text.\n"
    path = write_leaflet(tmp_path, body)
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["build", str(path), "--variant", "html", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert not (out / "test-leaflet.html").exists()  # never beside the published files
    page = (out / "drafts" / "test-leaflet.html").read_text()
    tree = lxml_html.fromstring(page)
    assert norm(tree.find(".//header/p").text_content()) == "DRAFT — not for distribution"
    for href in re.findall(r'url\("([^"]+)"\)', page):
        assert (out / "drafts" / href).is_file()


def test_a_leaflet_and_its_translations_link_to_each_other(tmp_path):
    body = "sections:\n  - heading: One\n    blocks:\n      - paragraph: Some text.\n"
    write_leaflet(tmp_path, body, lid="fractures", title="Broken bones")
    write_leaflet(
        tmp_path,
        'language: cy\ntranslation_of: fractures\nsource_version: "1.0"\n' + body,
        lid="fractures-cy",
        title="Esgyrn wedi torri",
    )
    write_leaflet(tmp_path, body, lid="other", title="Another leaflet")
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["build", str(tmp_path), "--variant", "standard,html", "--out", str(out)])
    assert r.exit_code == 0, r.output

    def languages(name):
        tree = lxml_html.fromstring((out / name).read_bytes())
        return [
            (a.get("href"), a.get("hreflang"), a.get("lang"), a.text_content())
            for a in tree.xpath("//nav//a[@hreflang]")
        ]

    assert languages("fractures.html") == [("fractures-cy.html", "cy", "cy", "Cymraeg: Esgyrn wedi torri")]
    assert languages("fractures-cy.html") == [("fractures.html", "en-GB", "en-GB", "English: Broken bones")]
    assert languages("other.html") == []
    assert lxml_html.fromstring((out / "fractures-cy.html").read_bytes()).get("lang") == "cy"


def test_a_leaflet_stating_no_version_dates_or_publisher_says_nothing_of_them(tmp_path):
    path = tmp_path / "bare.yaml"
    path.write_text(
        "id: bare\ntitle: A bare leaflet\nchange_note: First version.\n"
        "sections:\n  - heading: One\n    blocks:\n      - paragraph: Some text.\n",
        encoding="utf-8",
    )
    source = load_leaflet(path)
    pdf = tmp_path / "bare.pdf"
    pdf.write_bytes(render(source, style()))
    tree = page_tree(source)
    assert html_headings(tree) == pdf_headings(pdf)  # no contact panel; About with what is known
    about = tree.xpath("//section[@class='about']")[0]
    assert not about.xpath(".//dl") and "What changed in this version: First version." in norm(
        about.text_content()
    )
    assert "None" not in tree.text_content()
