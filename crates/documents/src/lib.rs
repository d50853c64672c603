//! Documents (文书): turns typst markup into PDF with a Chinese font. The callers (contracts,
//! committee minutes) build the markup from their data; this crate owns the fonts and the
//! typst engine, a large dependency kept here so other crates build without it.
//!
//! The font is the Noto CJK collection from Debian's `fonts-noto-cjk`, read from disk at first
//! use: without it Chinese would render as boxes, so its absence is an error that names the
//! package to install.

pub mod xlsx;

use std::sync::OnceLock;

use typst_as_lib::TypstEngine;

#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error(
        "no Chinese font found (looked for {0}); install Debian's fonts-noto-cjk, or set CHEDAI_CJK_FONT to a .ttc/.otf file"
    )]
    NoFont(String),
    #[error("the document could not be laid out: {0}")]
    Layout(String),
}

/// Where the CJK fonts are looked for; every one found is loaded. `CHEDAI_CJK_FONT` adds one.
const FONT_PATHS: &[&str] = &[
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
];

fn fonts() -> Result<&'static [Vec<u8>], DocumentError> {
    static FONTS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    if let Some(found) = FONTS.get() {
        return Ok(found);
    }
    let mut paths: Vec<String> = FONT_PATHS.iter().map(|p| p.to_string()).collect();
    if let Ok(custom) = std::env::var("CHEDAI_CJK_FONT") {
        paths.insert(0, custom);
    }
    let loaded: Vec<Vec<u8>> = paths.iter().filter_map(|p| std::fs::read(p).ok()).collect();
    if loaded.is_empty() {
        return Err(DocumentError::NoFont(paths.join(", ")));
    }
    Ok(FONTS.get_or_init(|| loaded))
}

/// Renders typst markup to PDF bytes.
pub fn render_pdf(markup: &str) -> Result<Vec<u8>, DocumentError> {
    let fonts = fonts()?;
    let engine = TypstEngine::builder()
        .main_file(markup.to_string())
        .fonts(fonts.iter().map(|f| f.as_slice()))
        .build();
    let document: typst_layout::PagedDocument = engine
        .compile()
        .output
        .map_err(|e| DocumentError::Layout(format!("{e:?}")))?;
    typst_pdf::pdf(&document, &Default::default())
        .map_err(|e| DocumentError::Layout(format!("{e:?}")))
}

/// `text` as a typst string literal, for markup built from data: `#lit` in content mode.
pub fn lit(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The page set-up every document shares: A4, the CJK serif, Chinese line breaking.
pub const PREAMBLE: &str = r#"#set page(paper: "a4", margin: (x: 2.2cm, y: 2.4cm), numbering: "1 / 1")
#set text(font: ("Noto Serif CJK SC", "Noto Sans CJK SC"), size: 10.5pt, lang: "zh", region: "cn")
#set par(justify: true, leading: 0.8em)
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chinese_document_becomes_a_pdf() {
        let markup = format!(
            "{PREAMBLE}= 借款合同\n#{}\n",
            lit("借款人：张三 \"引号\" 与 \\ 反斜杠")
        );
        let pdf = render_pdf(&markup).expect("renders");
        assert!(pdf.starts_with(b"%PDF-"), "a PDF file");
        assert!(pdf.len() > 1000);
    }

    #[test]
    fn literals_escape_what_typst_would_read_as_syntax() {
        assert_eq!(lit(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(
            lit("#set page(\"x\")\n*bold*"),
            r##""#set page(\"x\")\n*bold*""##
        );
    }
}
