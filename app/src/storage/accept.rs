//! What may be uploaded and linked: the allowed file types (by extension and by their first
//! bytes), the size limit, titles, https links, and the names files are given on the way out.
//! Plain functions: no HTTP, no storage.

/// The largest file accepted.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

/// For the file input's `accept` attribute (a hint to the browser's picker; the server decides).
pub const ACCEPT_ATTRIBUTE: &str = ".pdf,.docx,.xlsx,.pptx,.png,.jpg,.jpeg,.txt";

/// The types of file accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    Docx,
    Xlsx,
    Pptx,
    Png,
    Jpeg,
    Text,
}

impl FileKind {
    /// The kind a file name's extension claims, if it is one we accept.
    pub fn from_filename(name: &str) -> Option<Self> {
        let (_, ext) = name.rsplit_once('.')?;
        Some(match ext.to_ascii_lowercase().as_str() {
            "pdf" => Self::Pdf,
            "docx" => Self::Docx,
            "xlsx" => Self::Xlsx,
            "pptx" => Self::Pptx,
            "png" => Self::Png,
            "jpg" | "jpeg" => Self::Jpeg,
            "txt" => Self::Text,
            _ => return None,
        })
    }

    /// The `Content-Type` the file is served with (ours, never the uploader's).
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::Pptx => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Text => "text/plain; charset=utf-8",
        }
    }

    /// Whether the bytes look like this kind of file.
    fn sniff(self, bytes: &[u8]) -> bool {
        // Office files are zip archives; the part names sit uncompressed in the zip's headers.
        let office = |folder: &[u8]| {
            bytes.starts_with(b"PK\x03\x04")
                && contains(bytes, b"[Content_Types].xml")
                && contains(bytes, folder)
        };
        match self {
            Self::Pdf => bytes.starts_with(b"%PDF-"),
            Self::Docx => office(b"word/"),
            Self::Xlsx => office(b"xl/"),
            Self::Pptx => office(b"ppt/"),
            Self::Png => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
            Self::Jpeg => bytes.starts_with(b"\xff\xd8\xff"),
            Self::Text => std::str::from_utf8(bytes).is_ok_and(|text| {
                !text
                    .chars()
                    .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c'))
            }),
        }
    }

    /// "PDF", "Word document", ... for lists of materials.
    pub fn label_of(content_type: &str) -> &'static str {
        match content_type {
            "application/pdf" => "PDF",
            t if t.ends_with("wordprocessingml.document") => "Word document",
            t if t.ends_with("spreadsheetml.sheet") => "Excel workbook",
            t if t.ends_with("presentationml.presentation") => "PowerPoint slides",
            "image/png" => "PNG image",
            "image/jpeg" => "JPEG image",
            _ => "Text file",
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Why an upload was refused. Travels in the redirect back to the form as a short code, so
/// the page shows the same message with JavaScript on or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Title,
    Session,
    NoFile,
    Empty,
    TooLarge,
    NotAllowed,
    /// The extension is allowed but the contents are something else.
    ContentMismatch,
    /// Our fault (logged).
    Trouble,
}

impl Refusal {
    const ALL: [Refusal; 8] = [
        Refusal::Title,
        Refusal::Session,
        Refusal::NoFile,
        Refusal::Empty,
        Refusal::TooLarge,
        Refusal::NotAllowed,
        Refusal::ContentMismatch,
        Refusal::Trouble,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Refusal::Title => "title",
            Refusal::Session => "session",
            Refusal::NoFile => "no_file",
            Refusal::Empty => "empty",
            Refusal::TooLarge => "too_large",
            Refusal::NotAllowed => "type",
            Refusal::ContentMismatch => "content",
            Refusal::Trouble => "trouble",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The upload form's field the message goes next to ("" for the whole form).
    pub fn field(self) -> &'static str {
        match self {
            Refusal::Title => "title-file",
            Refusal::Session => "meeting_id-file",
            Refusal::Trouble => "",
            _ => "file",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            Refusal::Title => TITLE_MESSAGE,
            Refusal::Session => SESSION_MESSAGE,
            Refusal::NoFile => "Choose a file to upload.",
            Refusal::Empty => "That file is empty. Choose another.",
            Refusal::TooLarge => "That file is larger than 20 MB, the limit. Make it smaller (save the slides as PDF, say) or add it as a link.",
            Refusal::NotAllowed => "That type of file cannot be added. Use PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), PNG, JPEG or plain text (.txt).",
            Refusal::ContentMismatch => "The file's contents do not match its name (a .pdf that is not a PDF, say). Save it again in that format and upload it again.",
            Refusal::Trouble => "Something went wrong on our side, and nothing was saved. Please try again; if it keeps happening, contact the training office.",
        }
    }
}

pub const TITLE_MESSAGE: &str = "Give the material a title (at most 200 characters).";
pub const SESSION_MESSAGE: &str = "Choose the whole class or one of its sessions.";
pub const LINK_MESSAGE: &str =
    "Enter the full address of the page, starting with https:// (at most 2,000 characters).";

/// Checks an uploaded file: an allowed extension, contents that match it, not empty, not
/// over the limit. `name` is the uploader's file name (any path in it is ignored).
pub fn accept_file(name: &str, bytes: &[u8]) -> Result<FileKind, Refusal> {
    let kind = FileKind::from_filename(&safe_filename(name)).ok_or(Refusal::NotAllowed)?;
    if bytes.is_empty() {
        return Err(Refusal::Empty);
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Refusal::TooLarge);
    }
    if !kind.sniff(bytes) {
        return Err(Refusal::ContentMismatch);
    }
    Ok(kind)
}

/// A material's title: trimmed, 1 to 200 characters, no control characters.
pub fn parse_title(raw: &str) -> Result<String, &'static str> {
    let title: String = raw.trim().chars().filter(|c| !c.is_control()).collect();
    if title.is_empty() || title.chars().count() > 200 {
        return Err(TITLE_MESSAGE);
    }
    Ok(title)
}

/// An https link with a host, no spaces, no user name or password in it (they make a link
/// look like it goes somewhere else).
pub fn parse_link(raw: &str) -> Result<String, &'static str> {
    let link = raw.trim();
    let rest = link
        .get(..8)
        .filter(|scheme| scheme.eq_ignore_ascii_case("https://"))
        .map(|_| &link[8..])
        .ok_or(LINK_MESSAGE)?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty()
        || !host.is_ascii()
        || host.contains('@')
        || link.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(LINK_MESSAGE);
    }
    // Letters beyond ASCII in the path or query go percent-encoded, as browsers send them.
    let mut out = String::from("https://");
    for c in rest.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    if out.len() > 2000 {
        return Err(LINK_MESSAGE);
    }
    Ok(out)
}

/// The host a link goes to, to show beside it.
pub fn link_host(link: &str) -> &str {
    link.strip_prefix("https://")
        .and_then(|rest| rest.split(['/', '?', '#']).next())
        .unwrap_or(link)
}

/// The uploader's file name without any folders, control or quoting characters, at most 150
/// characters; "file" when nothing is left. Kept for showing and for the download's name.
pub fn safe_filename(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | ';' | ':' | '*' | '?' | '<' | '>' | '|'))
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim();
    if cleaned.is_empty() {
        return "file".to_owned();
    }
    let count = cleaned.chars().count();
    if count <= 150 {
        return cleaned.to_owned();
    }
    // Too long: keep the end, where the extension is.
    cleaned.chars().skip(count - 150).collect()
}

/// `Content-Disposition` for a download named `filename`: an ASCII fallback and the UTF-8
/// name (RFC 6266 / RFC 8187).
pub fn content_disposition(filename: &str) -> String {
    let safe = safe_filename(filename);
    let ascii: String = safe
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ' | '(' | ')') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in safe.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// "840 bytes", "12 KB", "1.4 MB".
pub fn describe_size(bytes: i64) -> String {
    const KB: i64 = 1024;
    const MB: i64 = 1024 * 1024;
    if bytes < KB {
        format!("{bytes} bytes")
    } else if bytes < MB {
        format!("{} KB", (bytes + KB / 2) / KB)
    } else {
        format!("{:.1} MB", bytes as f64 / MB as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zip_with(folder: &str) -> Vec<u8> {
        let mut bytes = b"PK\x03\x04\x14\x00\x00\x00[Content_Types].xml....PK\x03\x04".to_vec();
        bytes.extend_from_slice(folder.as_bytes());
        bytes.extend_from_slice(b"document.xml....");
        bytes
    }

    #[test]
    fn allowed_files_must_be_what_their_names_say() {
        assert_eq!(
            accept_file("Handout.PDF", b"%PDF-1.7\n..."),
            Ok(FileKind::Pdf)
        );
        assert_eq!(
            accept_file("a.png", b"\x89PNG\r\n\x1a\n...."),
            Ok(FileKind::Png)
        );
        assert_eq!(
            accept_file("a.jpeg", b"\xff\xd8\xff\xe0..."),
            Ok(FileKind::Jpeg)
        );
        assert_eq!(
            accept_file("notes.txt", "Ünïcode notes\r\n\tok".as_bytes()),
            Ok(FileKind::Text)
        );
        assert_eq!(
            accept_file("a.docx", &zip_with("word/")),
            Ok(FileKind::Docx)
        );
        assert_eq!(accept_file("a.xlsx", &zip_with("xl/")), Ok(FileKind::Xlsx));
        assert_eq!(accept_file("a.pptx", &zip_with("ppt/")), Ok(FileKind::Pptx));

        assert_eq!(
            accept_file("a.pdf", b"<html>"),
            Err(Refusal::ContentMismatch)
        );
        assert_eq!(
            accept_file("a.docx", &zip_with("xl/")),
            Err(Refusal::ContentMismatch)
        );
        assert_eq!(
            accept_file("a.txt", b"MZ\x90\x00\x03"),
            Err(Refusal::ContentMismatch)
        );
        assert_eq!(
            accept_file("a.exe", b"MZ\x90\x00"),
            Err(Refusal::NotAllowed)
        );
        assert_eq!(accept_file("a.html", b"<html>"), Err(Refusal::NotAllowed));
        assert_eq!(accept_file("pdf", b"%PDF-"), Err(Refusal::NotAllowed));
        assert_eq!(accept_file("a.pdf", b""), Err(Refusal::Empty));
        let mut big = b"%PDF-".to_vec();
        big.resize(MAX_FILE_BYTES + 1, b' ');
        assert_eq!(accept_file("a.pdf", &big), Err(Refusal::TooLarge));
        big.truncate(MAX_FILE_BYTES);
        assert_eq!(accept_file("a.pdf", &big), Ok(FileKind::Pdf));
    }

    #[test]
    fn file_names_lose_folders_and_dangerous_characters() {
        assert_eq!(safe_filename("../../etc/passwd.pdf"), "passwd.pdf");
        assert_eq!(safe_filename("..\\..\\windows\\x.pdf"), "x.pdf");
        assert_eq!(
            safe_filename("evil\"\r\nX-Injected: 1.pdf"),
            "evilX-Injected 1.pdf"
        );
        assert_eq!(safe_filename(".."), "file");
        assert_eq!(safe_filename(".hidden.txt"), "hidden.txt");
        assert_eq!(safe_filename(""), "file");
        let long = format!("{}.pdf", "a".repeat(300));
        assert_eq!(safe_filename(&long).chars().count(), 150);
        assert!(safe_filename(&long).ends_with(".pdf"));
    }

    #[test]
    fn downloads_are_named_safely() {
        assert_eq!(
            content_disposition("Día 1: handout.pdf"),
            "attachment; filename=\"D_a 1 handout.pdf\"; filename*=UTF-8''D%C3%ADa%201%20handout.pdf"
        );
        let header = content_disposition("a\"; filename=evil.exe\r\n.pdf");
        assert!(!header.contains('\r') && !header.contains('\n'));
        assert_eq!(header.matches('"').count(), 2, "{header}");
    }

    #[test]
    fn links_must_be_https_with_a_host() {
        assert_eq!(
            parse_link(" https://cit.example/guide?x=1 "),
            Ok("https://cit.example/guide?x=1".into())
        );
        assert_eq!(
            parse_link("HTTPS://cit.example"),
            Ok("https://cit.example".into())
        );
        assert_eq!(
            parse_link("https://cit.example/guía"),
            Ok("https://cit.example/gu%C3%ADa".into())
        );
        for bad in [
            "http://cit.example",
            "javascript:alert(1)",
            "https://",
            "https:///x",
            "https://a b",
            "https://user@evil.example",
            "//cit.example",
            "ftp://x",
            "https://bücher.example/",
        ] {
            assert_eq!(parse_link(bad), Err(LINK_MESSAGE), "{bad}");
        }
        assert_eq!(link_host("https://cit.example/guide"), "cit.example");
    }

    #[test]
    fn titles_are_trimmed_and_bounded() {
        assert_eq!(parse_title("  Slides, day 1 "), Ok("Slides, day 1".into()));
        assert_eq!(parse_title("   "), Err(TITLE_MESSAGE));
        assert_eq!(parse_title(&"x".repeat(201)), Err(TITLE_MESSAGE));
    }

    #[test]
    fn refusals_round_trip_through_their_codes() {
        for r in Refusal::ALL {
            assert_eq!(Refusal::from_code(r.code()), Some(r));
        }
        assert_eq!(Refusal::from_code("<script>"), None);
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(describe_size(840), "840 bytes");
        assert_eq!(describe_size(12 * 1024), "12 KB");
        assert_eq!(describe_size(1_468_006), "1.4 MB");
    }
}
