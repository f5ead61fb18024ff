//! The certificate as a PDF: one US Letter page in landscape, DejaVu Serif embedded (subset),
//! and a QR code of the public verification link, drawn as a greyscale image so that any
//! phone camera reads it.

use app::domain::certificate::long_date;
use chrono::NaiveDate;
use printpdf::{
    Color, ColorBits, ColorSpace, Image, ImageTransform, ImageXObject, IndirectFontRef, Line, Mm,
    PdfDocument, PdfLayerReference, Point, Px, Rgb,
};
use qrcode::{types::Color as Module, EcLevel, QrCode};

const REGULAR: &[u8] = include_bytes!("../assets/fonts/DejaVuSerif.ttf");
const BOLD: &[u8] = include_bytes!("../assets/fonts/DejaVuSerif-Bold.ttf");

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
    Pdf(#[from] printpdf::Error),
    #[error("font: {0}")]
    Font(String),
    #[error("qr code: {0}")]
    Qr(#[from] qrcode::types::QrError),
}

/// Pixels per QR module and the quiet zone around the code, in modules.
const MODULE_PX: usize = 8;
const QUIET: usize = 4;

/// The QR code of `text` as greyscale pixels (0 dark, 255 light), with its quiet zone:
/// (side in pixels, pixels row by row from the top).
pub fn qr_pixels(text: &str) -> Result<(usize, Vec<u8>), PdfError> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)?;
    let modules = code.width();
    let colors = code.to_colors();
    let side = (modules + 2 * QUIET) * MODULE_PX;
    let mut pixels = vec![255_u8; side * side];
    for (i, color) in colors.iter().enumerate() {
        if *color != Module::Dark {
            continue;
        }
        let (mx, my) = (i % modules + QUIET, i / modules + QUIET);
        for y in my * MODULE_PX..(my + 1) * MODULE_PX {
            let row = y * side;
            pixels[row + mx * MODULE_PX..row + (mx + 1) * MODULE_PX].fill(0);
        }
    }
    Ok((side, pixels))
}

/// A font for the page and its widths, for centring.
struct Face {
    pdf: IndirectFontRef,
    parsed: ttf_parser::Face<'static>,
}

impl Face {
    fn load(doc: &printpdf::PdfDocumentReference, bytes: &'static [u8]) -> Result<Face, PdfError> {
        let parsed =
            ttf_parser::Face::parse(bytes, 0).map_err(|e| PdfError::Font(e.to_string()))?;
        let pdf = doc.add_external_font(bytes)?;
        Ok(Face { pdf, parsed })
    }

    /// The width of `text` at `size` points, in millimetres.
    fn width_mm(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text
            .chars()
            .map(|c| {
                self.parsed
                    .glyph_index(c)
                    .and_then(|g| self.parsed.glyph_hor_advance(g))
                    .map_or(0, u32::from)
            })
            .sum();
        let em = f32::from(self.parsed.units_per_em());
        units as f32 / em * size * 25.4 / 72.0
    }
}

fn centred(layer: &PdfLayerReference, face: &Face, text: &str, size: f32, y: f32) {
    let x = (WIDTH - face.width_mm(text, size)) / 2.0;
    layer.use_text(text, size, Mm(x), Mm(y), &face.pdf);
}

fn rule(layer: &PdfLayerReference, x1: f32, y1: f32, x2: f32, y2: f32, closed: bool) {
    layer.add_line(Line {
        points: vec![
            (Point::new(Mm(x1), Mm(y1)), false),
            (Point::new(Mm(x2), Mm(y1)), false),
            (Point::new(Mm(x2), Mm(y2)), false),
            (Point::new(Mm(x1), Mm(y2)), false),
        ][..if closed { 4 } else { 2 }]
            .to_vec(),
        is_closed: closed,
    });
}

/// Renders the certificate.
pub fn render(page: &CertificatePage<'_>) -> Result<Vec<u8>, PdfError> {
    let title = format!("{} {}", page.credential, page.number);
    let (doc, page_index, layer_index) =
        PdfDocument::new(title, Mm(WIDTH), Mm(HEIGHT), "Certificate");
    let layer = doc.get_page(page_index).get_layer(layer_index);
    let regular = Face::load(&doc, REGULAR)?;
    let bold = Face::load(&doc, BOLD)?;
    let navy = Color::Rgb(Rgb::new(0.11, 0.2, 0.36, None));
    let ink = Color::Rgb(Rgb::new(0.1, 0.1, 0.1, None));

    // A double frame.
    layer.set_outline_color(navy.clone());
    layer.set_outline_thickness(2.5);
    rule(&layer, 10.0, 10.0, WIDTH - 10.0, HEIGHT - 10.0, true);
    layer.set_outline_thickness(0.75);
    rule(&layer, 14.0, 14.0, WIDTH - 14.0, HEIGHT - 14.0, true);

    layer.set_fill_color(navy.clone());
    centred(&layer, &bold, "CRISIS INTERVENTION TEAM", 13.0, 186.0);
    centred(&layer, &regular, "CIT Academy", 11.0, 179.0);
    let heading = if page.expires_on.is_some() {
        "Certificate"
    } else {
        "Certificate of Completion"
    };
    centred(&layer, &bold, heading, 30.0, 158.0);
    layer.set_fill_color(ink.clone());
    centred(&layer, &regular, "This certifies that", 13.0, 143.0);
    centred(&layer, &bold, page.holder_name, 28.0, 127.0);
    rule(&layer, 60.0, 123.0, WIDTH - 60.0, 123.0, false);
    let because = if page.expires_on.is_some() {
        format!(
            "has passed the certification test of {} and is a",
            page.course_title
        )
    } else {
        format!("has completed {} and passed its test.", page.course_title)
    };
    centred(&layer, &regular, &because, 13.0, 112.0);
    if page.expires_on.is_some() {
        layer.set_fill_color(navy.clone());
        centred(&layer, &bold, page.credential, 20.0, 100.0);
        layer.set_fill_color(ink.clone());
    }
    let dates = match page.expires_on {
        Some(last) => format!(
            "Issued {} · Valid through {}",
            long_date(page.issued_on),
            long_date(last)
        ),
        None => format!("Issued {}", long_date(page.issued_on)),
    };
    centred(&layer, &regular, &dates, 13.0, 86.0);
    centred(
        &layer,
        &regular,
        &format!("Certificate number {}", page.number),
        12.0,
        78.0,
    );

    // Signature line, bottom left.
    rule(&layer, 30.0, 45.0, 115.0, 45.0, false);
    layer.use_text(
        "Director of Training",
        11.0,
        Mm(30.0),
        Mm(39.0),
        &regular.pdf,
    );
    layer.use_text(ORGANISATION, 8.0, Mm(30.0), Mm(33.0), &regular.pdf);

    // Verification, bottom right: the QR code and the code to type.
    let (side, pixels) = qr_pixels(page.verify_url)?;
    let qr_mm = 36.0;
    let dpi = side as f32 / (qr_mm / 25.4);
    Image::from(ImageXObject {
        width: Px(side),
        height: Px(side),
        color_space: ColorSpace::Greyscale,
        bits_per_component: ColorBits::Bit8,
        interpolate: false,
        image_data: pixels,
        image_filter: None,
        smask: None,
        clipping_bbox: None,
    })
    .add_to_layer(
        layer.clone(),
        ImageTransform {
            translate_x: Some(Mm(WIDTH - 30.0 - qr_mm)),
            translate_y: Some(Mm(36.0)),
            dpi: Some(dpi),
            ..ImageTransform::default()
        },
    );
    let verify_x = WIDTH - 30.0 - qr_mm - 2.0;
    let right = |face: &Face, text: &str, size: f32, y: f32| {
        let x = verify_x + qr_mm + 2.0 - face.width_mm(text, size);
        layer.use_text(text, size, Mm(x), Mm(y), &face.pdf);
    };
    right(&regular, "Verify this certificate:", 8.0, 30.0);
    right(&regular, page.verify_url, 7.0, 26.0);
    right(&bold, &format!("Code {}", page.code), 8.0, 22.0);

    Ok(doc.save_to_bytes()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_pixels_have_a_light_quiet_zone_and_dark_modules() {
        let (side, pixels) = qr_pixels("http://example.org/verify/ABCD").unwrap_or_default();
        assert_eq!(pixels.len(), side * side);
        assert!(pixels[..QUIET * MODULE_PX * side].iter().all(|&p| p == 255));
        assert!(pixels.contains(&0));
    }
}
