//! The certificate as a PDF: one US Letter page in landscape, DejaVu Serif embedded (subset),
//! and a QR code of the public verification link, drawn as vector squares so that any phone
//! camera reads it at any print size.
//!
//! Made with krilla (the PDF writer of the Typst project, maintained, no known advisories);
//! printpdf 0.7 brought unsound dependencies (RUSTSEC-2023-0042, RUSTSEC-2024-0370).

use app::domain::certificate::long_date;
use chrono::NaiveDate;
use krilla::{
    color::rgb,
    geom::{PathBuilder, Point, Rect},
    metadata::Metadata,
    num::NormalizedF32,
    page::PageSettings,
    paint::{Fill, Stroke},
    surface::Surface,
    text::{Font, GlyphId, KrillaGlyph},
    Document,
};
use qrcode::{types::Color as Module, EcLevel, QrCode};
use skrifa::{
    instance::{LocationRef, Size},
    FontRef, MetadataProvider,
};

const REGULAR: &[u8] = include_bytes!("../assets/fonts/DejaVuSerif.ttf");
const BOLD: &[u8] = include_bytes!("../assets/fonts/DejaVuSerif-Bold.ttf");

/// The page, in millimetres (US Letter, landscape).
const WIDTH: f32 = 279.4;
const HEIGHT: f32 = 215.9;

/// The organisation named on every certificate.
pub const ORGANISATION: &str = "CIT Academy · Crisis Intervention Team training and certification";

/// What the page shows.
#[derive(Debug, Clone)]
pub struct CertificatePage<'a> {
    pub holder_name: &'a str,
    /// "Certified CIT Coordinator", "Certificate of Completion: ...".
    pub credential: &'a str,
    pub course_title: &'a str,
    pub number: &'a str,
    /// As printed, with dashes.
    pub code: &'a str,
    pub issued_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    /// The public verification page, which the QR code opens.
    pub verify_url: &'a str,
}

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("pdf: {0}")]
    Pdf(String),
    #[error("font: {0}")]
    Font(String),
    #[error("qr code: {0}")]
    Qr(#[from] qrcode::types::QrError),
}

/// The quiet zone around the code, in modules.
const QUIET: usize = 4;

/// The QR code of `text`: (side in modules with the quiet zone, the dark modules as
/// (column, row) from the top left).
pub fn qr_modules(text: &str) -> Result<(usize, Vec<(usize, usize)>), PdfError> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)?;
    let modules = code.width();
    let dark = code
        .to_colors()
        .iter()
        .enumerate()
        .filter(|(_, c)| **c == Module::Dark)
        .map(|(i, _)| (i % modules + QUIET, i / modules + QUIET))
        .collect();
    Ok((modules + 2 * QUIET, dark))
}

/// Millimetres to PDF points.
fn pt(mm: f32) -> f32 {
    mm * 72.0 / 25.4
}

/// A point given in millimetres from the bottom left (as the layout below is measured), in
/// krilla's points from the top left.
fn at(x: f32, y: f32) -> Point {
    Point::from_xy(pt(x), pt(HEIGHT - y))
}

/// A font for the page: its glyphs and their widths (read with skrifa, which krilla itself
/// uses), for placing and centring lines of Latin text.
struct Face {
    pdf: Font,
    parsed: FontRef<'static>,
}

impl Face {
    fn load(bytes: &'static [u8]) -> Result<Face, PdfError> {
        let parsed = FontRef::new(bytes).map_err(|e| PdfError::Font(e.to_string()))?;
        let pdf = Font::new(bytes.into(), 0)
            .ok_or_else(|| PdfError::Font("unreadable font".to_owned()))?;
        Ok(Face { pdf, parsed })
    }

    /// One glyph per character, each advancing by its width (in ems). The certificate's
    /// text is Latin in one font, so no shaping beyond this is needed.
    fn glyphs(&self, text: &str) -> Vec<KrillaGlyph> {
        let charmap = self.parsed.charmap();
        let metrics = self
            .parsed
            .glyph_metrics(Size::unscaled(), LocationRef::default());
        let em = f32::from(
            self.parsed
                .metrics(Size::unscaled(), LocationRef::default())
                .units_per_em,
        );
        text.char_indices()
            .map(|(at, c)| {
                let id = charmap.map(c).unwrap_or_default();
                let advance = metrics.advance_width(id).unwrap_or_default() / em;
                KrillaGlyph::new(
                    GlyphId::new(id.to_u32()),
                    advance,
                    0.0,
                    0.0,
                    0.0,
                    at..at + c.len_utf8(),
                    None,
                )
            })
            .collect()
    }

    /// The width of `text` at `size` points, in millimetres.
    fn width_mm(&self, text: &str, size: f32) -> f32 {
        let ems: f32 = self.glyphs(text).iter().map(|g| g.x_advance).sum();
        ems * size * 25.4 / 72.0
    }
}

fn fill(color: rgb::Color) -> Fill {
    Fill {
        paint: color.into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

fn text(surface: &mut Surface<'_>, face: &Face, text: &str, size: f32, x: f32, y: f32) {
    let glyphs = face.glyphs(text);
    surface.draw_glyphs(at(x, y), &glyphs, face.pdf.clone(), text, size, false);
}

fn centred(surface: &mut Surface<'_>, face: &Face, line: &str, size: f32, y: f32) {
    let x = (WIDTH - face.width_mm(line, size)) / 2.0;
    text(surface, face, line, size, x, y);
}

/// A stroked line or rectangle, in millimetres from the bottom left.
fn rule(
    surface: &mut Surface<'_>,
    color: rgb::Color,
    width_pt: f32,
    corners: (f32, f32, f32, f32),
    closed: bool,
) {
    let (x1, y1, x2, y2) = corners;
    let mut path = PathBuilder::new();
    let start = at(x1, y1);
    path.move_to(start.x, start.y);
    let to = at(x2, y1);
    path.line_to(to.x, to.y);
    if closed {
        let c = at(x2, y2);
        path.line_to(c.x, c.y);
        let d = at(x1, y2);
        path.line_to(d.x, d.y);
        path.close();
    }
    let Some(path) = path.finish() else { return };
    surface.set_fill(None);
    surface.set_stroke(Some(Stroke {
        paint: color.into(),
        width: width_pt,
        ..Stroke::default()
    }));
    surface.draw_path(&path);
    surface.set_stroke(None);
}

/// The QR code as dark squares, `size_mm` wide with its top left at (x, y) from the bottom
/// left of the page; a white square behind it keeps the quiet zone light on any paper tint.
fn qr(
    surface: &mut Surface<'_>,
    url: &str,
    x: f32,
    top: f32,
    size_mm: f32,
) -> Result<(), PdfError> {
    let (side, dark) = qr_modules(url)?;
    let module = pt(size_mm) / side as f32;
    let origin = at(x, top);
    let square = |path: &mut PathBuilder, col: f32, row: f32, n: f32| {
        if let Some(r) = Rect::from_xywh(
            origin.x + col * module,
            origin.y + row * module,
            n * module,
            n * module,
        ) {
            path.push_rect(r);
        }
    };
    let mut light = PathBuilder::new();
    square(&mut light, 0.0, 0.0, side as f32);
    let mut code = PathBuilder::new();
    for (col, row) in dark {
        square(&mut code, col as f32, row as f32, 1.0);
    }
    surface.set_stroke(None);
    for (path, color) in [
        (light, rgb::Color::new(255, 255, 255)),
        (code, rgb::Color::new(0, 0, 0)),
    ] {
        if let Some(path) = path.finish() {
            surface.set_fill(Some(fill(color)));
            surface.draw_path(&path);
        }
    }
    Ok(())
}

/// Renders the certificate.
pub fn render(page: &CertificatePage<'_>) -> Result<Vec<u8>, PdfError> {
    let regular = Face::load(REGULAR)?;
    let bold = Face::load(BOLD)?;
    let navy = rgb::Color::new(28, 51, 92);
    let ink = rgb::Color::new(26, 26, 26);

    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(format!("{} {}", page.credential, page.number))
            .language("en".to_owned()),
    );
    let settings = PageSettings::from_wh(pt(WIDTH), pt(HEIGHT))
        .ok_or_else(|| PdfError::Pdf("page size".to_owned()))?;
    let mut pdf_page = document.start_page_with(settings);
    let mut s = pdf_page.surface();

    // A double frame.
    rule(
        &mut s,
        navy,
        2.5,
        (10.0, 10.0, WIDTH - 10.0, HEIGHT - 10.0),
        true,
    );
    rule(
        &mut s,
        navy,
        0.75,
        (14.0, 14.0, WIDTH - 14.0, HEIGHT - 14.0),
        true,
    );

    s.set_fill(Some(fill(navy)));
    centred(&mut s, &bold, "CRISIS INTERVENTION TEAM", 13.0, 186.0);
    centred(&mut s, &regular, "CIT Academy", 11.0, 179.0);
    let heading = if page.expires_on.is_some() {
        "Certificate"
    } else {
        "Certificate of Completion"
    };
    centred(&mut s, &bold, heading, 30.0, 158.0);
    s.set_fill(Some(fill(ink)));
    centred(&mut s, &regular, "This certifies that", 13.0, 143.0);
    centred(&mut s, &bold, page.holder_name, 28.0, 127.0);
    rule(&mut s, ink, 1.0, (60.0, 123.0, WIDTH - 60.0, 123.0), false);
    let because = if page.expires_on.is_some() {
        format!(
            "has passed the certification test of {} and is a",
            page.course_title
        )
    } else {
        format!("has completed {} and passed its test.", page.course_title)
    };
    s.set_fill(Some(fill(ink)));
    centred(&mut s, &regular, &because, 13.0, 112.0);
    if page.expires_on.is_some() {
        s.set_fill(Some(fill(navy)));
        centred(&mut s, &bold, page.credential, 20.0, 100.0);
        s.set_fill(Some(fill(ink)));
    }
    let dates = match page.expires_on {
        Some(last) => format!(
            "Issued {} · Valid through {}",
            long_date(page.issued_on),
            long_date(last)
        ),
        None => format!("Issued {}", long_date(page.issued_on)),
    };
    centred(&mut s, &regular, &dates, 13.0, 86.0);
    centred(
        &mut s,
        &regular,
        &format!("Certificate number {}", page.number),
        12.0,
        78.0,
    );

    // Signature line, bottom left.
    rule(&mut s, ink, 1.0, (30.0, 45.0, 115.0, 45.0), false);
    s.set_fill(Some(fill(ink)));
    text(&mut s, &regular, "Director of Training", 11.0, 30.0, 39.0);
    text(&mut s, &regular, ORGANISATION, 8.0, 30.0, 33.0);

    // Verification, bottom right: the QR code and the code to type.
    let qr_mm = 36.0;
    qr(
        &mut s,
        page.verify_url,
        WIDTH - 30.0 - qr_mm,
        36.0 + qr_mm,
        qr_mm,
    )?;
    s.set_fill(Some(fill(ink)));
    let right_edge = WIDTH - 30.0;
    for (face, line, size, y) in [
        (&regular, "Verify this certificate:".to_owned(), 8.0, 30.0),
        (&regular, page.verify_url.to_owned(), 7.0, 26.0),
        (&bold, format!("Code {}", page.code), 8.0, 22.0),
    ] {
        let x = right_edge - face.width_mm(&line, size);
        text(&mut s, face, &line, size, x, y);
    }

    s.finish();
    pdf_page.finish();
    document.finish().map_err(|e| PdfError::Pdf(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_modules_leave_a_quiet_zone_and_have_dark_modules() {
        let (side, dark) = qr_modules("http://example.org/verify/ABCD").unwrap_or_default();
        assert!(!dark.is_empty());
        assert!(dark.iter().all(
            |&(c, r)| (QUIET..side - QUIET).contains(&c) && (QUIET..side - QUIET).contains(&r)
        ));
    }
}
