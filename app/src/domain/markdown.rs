//! Markdown that administrators write (course descriptions), turned into HTML that is safe to
//! put in a page: pulldown-cmark renders, ammonia keeps only harmless tags and attributes (no
//! scripts, styles, event handlers or `javascript:` links).

use pulldown_cmark::{html, Options, Parser};

/// Renders Markdown to sanitised HTML.
pub fn to_safe_html(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let mut raw = String::new();
    html::push_html(&mut raw, Parser::new_ext(markdown, options));
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer"))
        .clean(&raw)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_paragraphs_lists_and_emphasis() {
        let html = to_safe_html("First **bold** paragraph.\n\nSecond:\n\n- one\n- two\n");
        assert!(
            html.contains("<p>First <strong>bold</strong> paragraph.</p>"),
            "{html}"
        );
        assert!(html.contains("<li>one</li>"));
    }

    #[test]
    fn strips_scripts_handlers_and_javascript_links() {
        let html = to_safe_html("<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[click](javascript:alert(1))\n\n<a href=\"https://cit.example\" onclick=\"x()\">ok</a>");
        assert!(!html.contains("<script"), "{html}");
        assert!(
            !html.contains("onerror") && !html.contains("onclick"),
            "{html}"
        );
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("href=\"https://cit.example\""), "{html}");
    }
}
