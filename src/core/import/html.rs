//! HTML import: the readable text of a saved web page, and its metadata.
//!
//! Invariants and rules:
//! - Bytes are decoded as UTF-8 when valid (BOM dropped; UTF-16 with a BOM is
//!   accepted), else with the `<meta charset>` / `http-equiv` charset found
//!   in the first 4 KiB, else as Windows-1252. Decoding never fails on
//!   content.
//! - The page is parsed by a real HTML5 parser (`scraper`/html5ever), so
//!   entities are decoded and broken markup is repaired as browsers do.
//! - The text comes from the first non-boilerplate root among: the
//!   `<article>` with the most text, `<main>`, `[role=main]`, `<body>`.
//! - Never part of the text: `script`, `style`, `noscript`, `template`,
//!   `nav`, `aside`, `form`, `iframe`, `svg`, `canvas`, form controls,
//!   `footer`, elements with the `hidden` attribute, landmark roles for
//!   navigation/banners/side content, and elements whose `class` or `id`
//!   words mark boilerplate (nav, menu, footer, cookie, share, related,
//!   sidebar, comments, breadcrumb, newsletter …) unless they contain the
//!   article (an `article`, `main` or `h1`). `header` is dropped unless it is
//!   inside an `<article>` (where it holds the headline and byline).
//! - Block elements start a new paragraph (separated by a blank line);
//!   list items, table rows, `dt`/`dd` and `<br>` start a new line. List
//!   items are prefixed `• ` (or `1. `, `2. ` … in an `<ol>`), table cells
//!   are separated by a tab. Inline whitespace collapses to one space, except
//!   inside `<pre>`, which is kept as is. A no-break space becomes a space.
//! - Then the common normalisation of [`super`] applies.

use scraper::node::Element;
use scraper::{ElementRef, Html, Node, Selector};

use super::{Extracted, ImportError, clean_field, decode_with_fallback, normalize, normalize_date};
use crate::core::set::Metadata;

/// Extractor name and version for HTML.
pub const EXTRACTOR: &str = "marginalia-html/1";

/// Extracts the article text and metadata of an HTML page.
pub fn extract(bytes: &[u8]) -> Result<Extracted, ImportError> {
    let source = decode_html(bytes)?;
    let doc = Html::parse_document(&source);
    let root = choose_root(&doc);
    let text = match root {
        Some(root) => normalize(&render(root)),
        None => String::new(),
    };
    let metadata = metadata(&doc, root);
    Ok(Extracted {
        text,
        metadata,
        extractor: EXTRACTOR.to_owned(),
    })
}

/// Decodes HTML bytes: UTF-8 if valid, else the declared charset, else
/// Windows-1252.
fn decode_html(bytes: &[u8]) -> Result<String, ImportError> {
    let fallback = sniff_charset(bytes).unwrap_or(encoding_rs::WINDOWS_1252);
    decode_with_fallback(bytes, fallback)
}

/// The encoding named by a `charset=` in the first 4 KiB, if known.
fn sniff_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"charset") {
        let mut i = from + pos + b"charset".len();
        from = i;
        while i < lower.len() && matches!(lower[i], b' ' | b'\t' | b'\n' | b'\r') {
            i += 1;
        }
        if lower.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while i < lower.len() && matches!(lower[i], b' ' | b'\t' | b'"' | b'\'') {
            i += 1;
        }
        let start = i;
        while i < lower.len()
            && (lower[i].is_ascii_alphanumeric() || matches!(lower[i], b'-' | b'_' | b':' | b'.'))
        {
            i += 1;
        }
        if let Some(enc) = encoding_rs::Encoding::for_label(&lower[start..i]) {
            // A page that claims UTF-16 but is not valid UTF-8 is most likely
            // mislabelled ASCII-compatible text.
            if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                return None;
            }
            return Some(enc);
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn sel(s: &str) -> Option<Selector> {
    Selector::parse(s).ok()
}

/// The element whose text is the article.
fn choose_root(doc: &Html) -> Option<ElementRef<'_>> {
    let candidates = |css: &str| -> Vec<ElementRef<'_>> {
        match sel(css) {
            Some(s) => doc.select(&s).filter(|e| !inside_boilerplate(*e)).collect(),
            None => Vec::new(),
        }
    };
    // The article with the most text (teasers in a "related" box are short).
    let articles = candidates("article");
    let mut best: Option<(usize, ElementRef<'_>)> = None;
    for a in articles {
        let len: usize = render(a).chars().filter(|c| !c.is_whitespace()).count();
        if len > 0 && best.is_none_or(|(l, _)| len > l) {
            best = Some((len, a));
        }
    }
    if let Some((_, a)) = best {
        return Some(a);
    }
    for css in ["main", "[role=main]", "body"] {
        if let Some(e) = candidates(css).into_iter().next() {
            return Some(e);
        }
    }
    Some(doc.root_element())
}

/// Whether an element sits inside something we drop.
fn inside_boilerplate(e: ElementRef<'_>) -> bool {
    let mut inside_article = false;
    let mut node = e.parent();
    let mut chain = Vec::new();
    while let Some(p) = node {
        if let Some(pe) = ElementRef::wrap(p) {
            chain.push(pe);
        }
        node = p.parent();
    }
    // Walk from the outermost ancestor inwards, tracking <article>.
    for pe in chain.into_iter().rev() {
        if drops(pe, inside_article) {
            return true;
        }
        if pe.value().name() == "article" {
            inside_article = true;
        }
    }
    false
}

/// Elements whose whole subtree is never text.
const DROPPED_TAGS: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "aside", "form", "iframe", "svg", "canvas",
    "button", "select", "input", "textarea", "object", "embed", "audio", "video", "map", "head",
    "title", "meta", "link", "dialog", "math", "footer",
];

/// Landmark roles that are not the article.
const DROPPED_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "search",
    "menu",
    "menubar",
    "dialog",
    "alertdialog",
    "toolbar",
];

/// Words in a `class` or `id` (split on spaces, `-` and `_`) that mark
/// boilerplate.
const BOILERPLATE_WORDS: &[&str] = &[
    "nav",
    "navbar",
    "navigation",
    "menu",
    "footer",
    "cookie",
    "cookies",
    "consent",
    "share",
    "sharing",
    "social",
    "related",
    "sidebar",
    "breadcrumb",
    "breadcrumbs",
    "comments",
    "newsletter",
    "subscribe",
    "advert",
    "advertisement",
    "ads",
    "promo",
    "popup",
    "skip",
];

/// Whether an element (and its subtree) is left out of the text.
fn drops(e: ElementRef<'_>, inside_article: bool) -> bool {
    let el = e.value();
    let name = el.name();
    if DROPPED_TAGS.contains(&name) {
        return true;
    }
    if name == "header" && !inside_article {
        return true;
    }
    if el.attr("hidden").is_some() {
        return true;
    }
    if let Some(role) = el.attr("role")
        && role
            .split_whitespace()
            .any(|r| DROPPED_ROLES.contains(&r.to_ascii_lowercase().as_str()))
    {
        return true;
    }
    if matches!(name, "html" | "body" | "article" | "main") {
        return false;
    }
    let marked = [el.attr("class"), el.attr("id")]
        .into_iter()
        .flatten()
        .flat_map(|v| v.split(|c: char| c.is_whitespace() || c == '-' || c == '_'))
        .any(|w| BOILERPLATE_WORDS.contains(&w.to_ascii_lowercase().as_str()));
    marked && !holds_article(e)
}

/// Whether an element contains what looks like the article itself.
fn holds_article(e: ElementRef<'_>) -> bool {
    e.descendent_elements().skip(1).any(|d| {
        let v = d.value();
        matches!(v.name(), "article" | "main" | "h1") || v.attr("role") == Some("main")
    })
}

/// How much separation the next text needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Break {
    None,
    Line,
    Para,
}

/// Accumulates text with collapsed whitespace and pending breaks.
struct Writer {
    out: String,
    pending: Break,
    space: bool,
    /// The last thing written was a `<br>` line break.
    after_br: bool,
}

impl Writer {
    fn new() -> Writer {
        Writer {
            out: String::new(),
            pending: Break::None,
            space: false,
            after_br: false,
        }
    }

    fn request(&mut self, b: Break) {
        self.pending = self.pending.max(b);
    }

    fn br(&mut self) {
        if self.after_br {
            self.pending = Break::Para;
        } else {
            self.flush_break();
            self.out.push('\n');
        }
        self.after_br = true;
        self.space = false;
    }

    fn flush_break(&mut self) {
        if self.out.is_empty() {
            self.pending = Break::None;
            return;
        }
        match self.pending {
            Break::None => {}
            Break::Line => {
                if !self.out.ends_with('\n') {
                    self.out.push('\n');
                }
            }
            Break::Para => {
                while !self.out.ends_with("\n\n") {
                    self.out.push('\n');
                }
            }
        }
        if self.pending != Break::None {
            self.space = false;
        }
        self.pending = Break::None;
    }

    /// Writes text whose whitespace collapses.
    fn inline(&mut self, text: &str) {
        let text = text.replace('\u{a0}', "\u{0}");
        let mut words = text.split([' ', '\t', '\n', '\r', '\x0c']).peekable();
        let starts_with_space = text.starts_with([' ', '\t', '\n', '\r', '\x0c']);
        if starts_with_space {
            self.space = true;
        }
        while let Some(word) = words.next() {
            if word.is_empty() {
                continue;
            }
            self.word(&word.replace('\u{0}', " "));
            if words.peek().is_some() {
                self.space = true;
            }
        }
    }

    fn word(&mut self, w: &str) {
        self.flush_break();
        if self.space && !self.out.is_empty() && !self.out.ends_with(['\n', ' ']) {
            self.out.push(' ');
        }
        self.space = false;
        self.after_br = false;
        self.out.push_str(w);
    }

    /// Writes text kept as is (inside `<pre>`).
    fn raw(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        self.flush_break();
        if self.space && !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push(' ');
        }
        self.space = false;
        self.after_br = false;
        self.out.push_str(&text.replace('\u{a0}', " "));
    }

    /// A literal prefix (list bullet) at the start of a line.
    fn prefix(&mut self, p: &str) {
        self.flush_break();
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\n');
        }
        self.out.push_str(p);
        self.space = false;
        self.after_br = false;
    }
}

fn block_break(name: &str) -> Break {
    match name {
        "p" | "div" | "section" | "article" | "main" | "header" | "blockquote" | "pre"
        | "figure" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "ul" | "ol" | "dl" | "table"
        | "hr" | "address" | "details" | "fieldset" | "center" | "body" | "hgroup" => Break::Para,
        "li" | "tr" | "dt" | "dd" | "figcaption" | "summary" | "caption" | "thead" | "tbody"
        | "tfoot" | "legend" => Break::Line,
        _ => Break::None,
    }
}

/// The readable text of an element, before normalisation.
fn render(root: ElementRef<'_>) -> String {
    let mut w = Writer::new();
    let mut pre_depth = 0usize;
    let mut article_depth = usize::from(root.ancestors().any(|a| {
        a.value()
            .as_element()
            .is_some_and(|e| e.name() == "article")
    }));
    // Counters of the enclosing lists: `Some(n)` for an `<ol>`.
    let mut lists: Vec<Option<i64>> = Vec::new();
    // Whether the current row already has a cell.
    let mut row_has_cell: Vec<bool> = Vec::new();
    let mut stack = vec![(*root, false)];
    while let Some((node, closing)) = stack.pop() {
        match node.value() {
            Node::Text(t) => {
                if pre_depth > 0 {
                    w.raw(t);
                } else {
                    w.inline(t);
                }
            }
            Node::Element(el) => {
                let name = el.name();
                if closing {
                    close(el, &mut w, &mut pre_depth, &mut article_depth, &mut lists);
                    if name == "tr" {
                        row_has_cell.pop();
                    }
                    continue;
                }
                let Some(er) = ElementRef::wrap(node) else {
                    continue;
                };
                if node != *root && drops(er, article_depth > 0) {
                    continue;
                }
                match name {
                    "br" => w.br(),
                    "pre" => pre_depth += 1,
                    "article" => article_depth += 1,
                    "ul" | "menu" => lists.push(None),
                    "ol" => {
                        let start = el
                            .attr("start")
                            .and_then(|s| s.trim().parse::<i64>().ok())
                            .unwrap_or(1);
                        lists.push(Some(start));
                    }
                    "li" => {
                        w.request(Break::Line);
                        let bullet = match lists.last_mut() {
                            Some(Some(n)) => {
                                let b = format!("{n}. ");
                                *n = n.saturating_add(1);
                                b
                            }
                            _ => "• ".to_owned(),
                        };
                        w.prefix(&bullet);
                    }
                    "tr" => row_has_cell.push(false),
                    "td" | "th" => {
                        if let Some(has) = row_has_cell.last_mut() {
                            if *has {
                                w.raw("\t");
                            }
                            *has = true;
                        }
                    }
                    "img" => {
                        // Inline images are not text; their alt is not read.
                    }
                    _ => {}
                }
                if name != "li" {
                    w.request(block_break(name));
                }
                if name == "br" || name == "img" || name == "hr" || name == "wbr" {
                    continue;
                }
                stack.push((node, true));
                let children: Vec<_> = node.children().collect();
                stack.extend(children.into_iter().rev().map(|c| (c, false)));
            }
            _ => {}
        }
    }
    w.out
}

fn close(
    el: &Element,
    w: &mut Writer,
    pre_depth: &mut usize,
    article_depth: &mut usize,
    lists: &mut Vec<Option<i64>>,
) {
    let name = el.name();
    match name {
        "pre" => *pre_depth = pre_depth.saturating_sub(1),
        "article" => *article_depth = article_depth.saturating_sub(1),
        "ul" | "ol" | "menu" => {
            lists.pop();
        }
        _ => {}
    }
    let b = block_break(name);
    if b != Break::None {
        w.request(b);
    }
}

/// Title, author, date, publication and URL of the page.
fn metadata(doc: &Html, root: Option<ElementRef<'_>>) -> Metadata {
    let meta = |keys: &[&str]| -> Option<String> {
        for key in keys {
            for attr in ["property", "name", "itemprop"] {
                let Some(s) = sel(&format!("meta[{attr}=\"{key}\"]")) else {
                    continue;
                };
                if let Some(v) = doc
                    .select(&s)
                    .filter_map(|m| m.value().attr("content"))
                    .find_map(clean_field)
                {
                    return Some(v);
                }
            }
        }
        None
    };
    let first_text = |css: &str| -> Option<String> {
        let s = sel(css)?;
        doc.select(&s)
            .find_map(|e| clean_field(&e.text().collect::<String>()))
    };

    let publication = meta(&["og:site_name", "application-name"]);

    let title = meta(&["og:title", "twitter:title"])
        .or_else(|| first_text("head title").or_else(|| first_text("title")))
        .map(|t| strip_site_suffix(&t, publication.as_deref()))
        .or_else(|| {
            let s = sel("h1")?;
            root.and_then(|r| {
                r.select(&s)
                    .find_map(|e| clean_field(&e.text().collect::<String>()))
            })
        });

    let author = meta(&[
        "author",
        "article:author",
        "byl",
        "dc.creator",
        "parsely-author",
    ])
    .filter(|a| !a.starts_with("http://") && !a.starts_with("https://"))
    .map(|a| strip_by(&a))
    .or_else(|| byline(doc));

    let date = meta(&[
        "article:published_time",
        "date",
        "pubdate",
        "publish-date",
        "datePublished",
        "dc.date",
        "dcterms.created",
    ])
    .or_else(|| {
        let s = sel("time[datetime]")?;
        let from_root = root.and_then(|r| {
            r.select(&s)
                .find_map(|t| t.value().attr("datetime").and_then(clean_field))
        });
        from_root.or_else(|| {
            doc.select(&s)
                .find_map(|t| t.value().attr("datetime").and_then(clean_field))
        })
    })
    .and_then(|d| normalize_date(&d));

    let url = sel("link[rel=canonical]")
        .and_then(|s| {
            doc.select(&s)
                .find_map(|l| l.value().attr("href").and_then(clean_field))
        })
        .or_else(|| meta(&["og:url"]));

    Metadata {
        title,
        author,
        publication,
        date,
        url,
        ..Metadata::default()
    }
}

/// The author from a byline element (`rel=author`, `itemprop=author`, a class
/// containing "byline" or "author").
fn byline(doc: &Html) -> Option<String> {
    for css in [
        "[rel=author]",
        "[itemprop=author]",
        "[class*=byline]",
        "[class*=author]",
    ] {
        let Some(s) = sel(css) else { continue };
        for e in doc.select(&s) {
            if let Some(text) = clean_field(&e.text().collect::<String>()) {
                let text = strip_by(&text);
                if !text.is_empty() && text.chars().count() <= 120 {
                    return Some(text);
                }
            }
        }
    }
    None
}

/// Drops a leading "By " from a byline.
fn strip_by(s: &str) -> String {
    let t = s.trim();
    for p in ["By ", "by ", "BY "] {
        if let Some(rest) = t.strip_prefix(p) {
            return rest.trim().to_owned();
        }
    }
    t.to_owned()
}

/// "Headline | Site" → "Headline" when "Site" is the site's name.
fn strip_site_suffix(title: &str, site: Option<&str>) -> String {
    let Some(site) = site else {
        return title.to_owned();
    };
    for sep in [" | ", " - ", " – ", " — ", " · "] {
        if let Some((head, tail)) = title.rsplit_once(sep)
            && tail.trim().eq_ignore_ascii_case(site.trim())
            && !head.trim().is_empty()
        {
            return head.trim().to_owned();
        }
    }
    title.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(html: &str) -> String {
        extract(html.as_bytes()).unwrap().text
    }

    #[test]
    fn paragraphs_headings_and_lists() {
        let got = text(
            "<html><body><h1>Head</h1><p>One  two\n three.</p><p>Four</p>\
             <ul><li>a</li><li>b <b>c</b></li></ul><ol start=3><li>x</li><li>y</li></ol>\
             <p>end<br>line<br><br>para</p></body></html>",
        );
        assert_eq!(
            got,
            "Head\n\nOne two three.\n\nFour\n\n• a\n• b c\n\n3. x\n4. y\n\nend\nline\n\npara\n"
        );
    }

    #[test]
    fn scripts_styles_nav_and_boilerplate_are_dropped() {
        let got = text(
            "<html><head><title>T</title><style>p{}</style></head><body>\
             <header>Site header</header><nav>Home | World</nav>\
             <div class=\"cookie-banner\">We use cookies</div>\
             <p>Kept<script>var x = 1;</script> text</p>\
             <div id=share_bar>Share this</div><div class=related-links>Other</div>\
             <noscript>Enable JS</noscript><footer>Copyright</footer></body></html>",
        );
        assert_eq!(got, "Kept text\n");
    }

    #[test]
    fn article_preferred_and_header_inside_article_kept() {
        let got = text(
            "<body><div>Teaser outside</div><article><header><h1>Title</h1>\
             <p class=byline>By A. Writer</p></header><p>Body text.</p>\
             <footer>Tags: x</footer></article>\
             <aside><article><p>short</p></article></aside></body>",
        );
        assert_eq!(got, "Title\n\nBy A. Writer\n\nBody text.\n");
    }

    #[test]
    fn main_then_role_main() {
        assert_eq!(text("<body><p>x</p><main><p>m</p></main></body>"), "m\n");
        assert_eq!(
            text("<body><p>x</p><div role=main><p>r</p></div></body>"),
            "r\n"
        );
    }

    #[test]
    fn wrapper_with_sidebar_class_holding_the_article_is_kept() {
        let got = text(
            "<body><div class=\"layout-with-sidebar\"><h1>H</h1><p>Body</p></div>\
             <div class=sidebar><p>Side</p></div></body>",
        );
        assert_eq!(got, "H\n\nBody\n");
    }

    #[test]
    fn pre_kept_and_entities_decoded() {
        let got =
            text("<body><p>Caf&eacute; &amp; bar&#8217;s&nbsp;x</p><pre>a  b\n  c</pre></body>");
        assert_eq!(got, "Café & bar’s x\n\na  b\n  c\n");
    }

    #[test]
    fn tables_rows_are_lines_and_cells_tabbed() {
        let got = text(
            "<body><table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table></body>",
        );
        assert_eq!(got, "A\tB\n1\t2\n");
    }

    #[test]
    fn metadata_from_meta_tags() {
        let e = extract(
            br#"<html><head><title>Headline | The Daily</title>
            <meta property="og:site_name" content="The Daily">
            <meta name="author" content="Jane Roe">
            <meta property="article:published_time" content="2012-07-04T10:00:00+05:00">
            <link rel="canonical" href="https://example.com/a"></head>
            <body><p>x</p></body></html>"#,
        )
        .unwrap();
        assert_eq!(e.metadata.title.as_deref(), Some("Headline"));
        assert_eq!(e.metadata.author.as_deref(), Some("Jane Roe"));
        assert_eq!(e.metadata.date.as_deref(), Some("2012-07-04"));
        assert_eq!(e.metadata.publication.as_deref(), Some("The Daily"));
        assert_eq!(e.metadata.url.as_deref(), Some("https://example.com/a"));
        assert_eq!(e.extractor, EXTRACTOR);
    }

    #[test]
    fn metadata_fallbacks() {
        let e = extract(
            br#"<html><head><meta property="og:url" content="https://x.org/b"></head>
            <body><article><h1>Only H1</h1><span class="byline__name">By Sam Poe</span>
            <time datetime="2020-01-02">Jan 2</time><p>t</p></article></body></html>"#,
        )
        .unwrap();
        assert_eq!(e.metadata.title.as_deref(), Some("Only H1"));
        assert_eq!(e.metadata.author.as_deref(), Some("Sam Poe"));
        assert_eq!(e.metadata.date.as_deref(), Some("2020-01-02"));
        assert_eq!(e.metadata.url.as_deref(), Some("https://x.org/b"));
        assert_eq!(e.metadata.publication, None);
    }

    #[test]
    fn legacy_charsets() {
        let mut page = b"<html><head><meta charset=\"iso-8859-1\"></head><body><p>caf".to_vec();
        page.push(0xE9);
        page.extend_from_slice(b"</p></body></html>");
        assert_eq!(extract(&page).unwrap().text, "café\n");
        // No declaration: Windows-1252 (curly quotes at 0x93/0x94).
        let page = b"<p>\x93q\x94</p>";
        assert_eq!(extract(page).unwrap().text, "\u{201c}q\u{201d}\n");
        let page = b"<meta http-equiv=Content-Type content='text/html; charset=windows-1251'><p>\xcf\xf0\xe8</p>";
        assert_eq!(extract(page).unwrap().text, "При\n");
    }

    #[test]
    fn empty_page_is_an_error_through_extract() {
        assert_eq!(
            super::super::extract(
                super::super::SourceKind::Html,
                b"<html><body><nav>x</nav></body></html>"
            ),
            Err(ImportError::NoText {
                kind: super::super::SourceKind::Html
            })
        );
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let mut page = String::new();
        for _ in 0..20_000 {
            page.push_str("<span>");
        }
        page.push_str("deep");
        assert_eq!(text(&page), "deep\n");
    }
}
